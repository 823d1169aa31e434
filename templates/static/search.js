/*
 * sitegen default theme: the search page (/search/), the only page with JavaScript; a module
 * (search.html loads it with type=module), so nothing of it is global.
 *
 * One search box: the header's (base.html). On this page it is the query: it shows ?q=, a search
 * runs as the visitor types (and at once on Enter, which then takes the focus to the results, so a
 * phone's keyboard gets out of the way), Escape empties it. Results come from Pagefind's own
 * script (pagefind/pagefind.js, written by `sitegen build` with the index), drawn here rather than
 * by Pagefind's UI: the count goes into a live region (role=status) in the site's language, the
 * column and tag filters wait behind one button beside the order, and the first result shows on
 * a phone without scrolling. Every text shown comes from search.html's data-* attributes. The
 * address keeps the query, order and filters (?q=...&sort=...&column=...&tag=...), so reloading
 * or sharing it shows the same results. Nothing is fetched from outside the site, and nothing
 * needs an inline script or style (the Content-Security-Policy allows neither).
 *
 * Chinese: the index has each Chinese character as a word of its own (sitegen/search.py), and the
 * query is sent the same way. Sorted by date, a query typed as one word is a phrase: "民主评议"
 * becomes "民 主 评 议" in quotes, which finds exactly the pages with those characters in that
 * order, wherever they stand in a sentence (Pagefind does not rank phrase matches, so a date order
 * suits them). Best match ranks pages by how often they have the query's characters, so it also
 * shows pages that have them apart, after the closer matches. Several words ("民主评议 2019") find
 * the pages that have all of them.
 */
var root = document.getElementById("search");
var box = document.getElementById("site-search-q");
var ORDERS = { newest: { newest: "desc" }, oldest: { oldest: "asc" }, relevance: null };  // post.html
var DEFAULT_ORDER = "newest";
var FILTERS = ["column", "tag"];  // Pagefind's filter names (post.html), in the order shown
var PAGE_SIZE = 10;
var TYPING_PAUSE = 250;  // ms without a key before a search runs
var HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;  // as sitegen/search.py
var EACH_HAN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/g;
// A space between two Chinese characters or punctuation marks, maybe at the edge of a highlight.
var GAP = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef](?:<\/mark>)?) (?=(?:<mark>)?[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;

var status = document.getElementById("search-status");
var tools = document.querySelector(".search-tools");
var toggle = document.querySelector(".search-filters-button");
var panel = document.getElementById("search-filters");  // the filters, shown by the toggle
var control = document.getElementById("search-order");
var list = document.getElementById("search-results");
var more = document.querySelector(".search-more");
var params = new URLSearchParams(window.location.search);
var order = orderOf(params.get("sort"));
var chosen = {};  // filter name -> values ticked
FILTERS.forEach(function (name) { chosen[name] = params.getAll(name); });
var pagefind = null;
var latest = 0;  // the newest search wins; an older one that ends later is dropped
var timer = null;
var shown = merged([], null);  // the results of the search on screen, and how many of them are drawn
var drawn = 0;

function text(name, values) {
  return (root.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
    return Object.prototype.hasOwnProperty.call(values || {}, key) ? values[key] : all;
  });
}

function orderOf(value) {
  return Object.prototype.hasOwnProperty.call(ORDERS, value) ? value : DEFAULT_ORDER;
}

// The query as the index has it: each Chinese character a word (see above).
function processTerm(term) {
  if (!HAS_HAN.test(term)) {
    return term;
  }
  var quoted = /^".*"$/.test(term);
  var words = term.replace(/^"|"$/g, "").replace(EACH_HAN, " $1 ").replace(/\s+/g, " ").trim();
  var phrase = quoted || (order !== "relevance" && !/\s/.test(term));
  return phrase ? "\"" + words + "\"" : words;
}

function filtersInUse() {
  var used = {};
  FILTERS.forEach(function (name) {
    if (chosen[name].length) {
      // A post has one column: two ticked columns mean either; two tags mean both.
      used[name] = name === "column" ? { any: chosen[name].slice() } : chosen[name].slice();
    }
  });
  return used;
}

function remember() {
  var next = new URLSearchParams();
  var term = box.value.trim();
  if (term) { next.set("q", term); }
  if (order !== DEFAULT_ORDER) { next.set("sort", order); }
  FILTERS.forEach(function (name) {
    chosen[name].forEach(function (value) { next.append(name, value); });
  });
  var query = next.toString();
  window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
}

// Pagefind's script for each shard of the index (sitegen/search_shards.py: pagefind/shards.json lists
// them; an index without the list is one shard). Each shard is searched by a copy of the script of
// its own (Pagefind's mergeIndex would rank the merged results by score alone, which in a date
// order is each result's place in its own shard, so dates would interleave wrongly). `again`: a new
// copy of everything, for a search that an index put live meanwhile cut across (its files gone).
function load(again) {
  if (!pagefind || again) {
    var bundle = root.getAttribute("data-bundle");
    var fresh = again ? "?again=" + Date.now() : "";
    pagefind = window.fetch(bundle + "shards.json?ts=" + Date.now(), { cache: "no-store" }).then(function (answer) {
      return answer.ok ? answer.json() : { shards: [""] };
    }).then(function (listing) {
      return Promise.all(listing.shards.map(function (prefix) {
        return import(bundle + prefix + "pagefind.js" + fresh).then(function (module) {
          return module.options({ excerptLength: 30 }).then(function () { return module; });
        });
      }));
    });
  }
  return pagefind;
}

// Filter counts of every shard added up.
function addCounts(each) {
  var sum = {};
  each.forEach(function (filters) {
    Object.keys(filters || {}).forEach(function (name) {
      sum[name] = sum[name] || {};
      Object.keys(filters[name]).forEach(function (value) {
        sum[name][value] = (sum[name][value] || 0) + filters[name][value];
      });
    });
  });
  return sum;
}

// The results of every shard as one list, drawn a page at a time. Best match: by Pagefind's score
// (each shard scores against its own pages, so the order may differ a little from one index's).
// A date order: each shard's list is in that order already, and the next result is the first of
// the shards' next ones by the date its page carries (meta "sort"; a column intro has none and
// comes after the posts, as in one index); so a page of results loads only the pages it shows,
// and one more per shard.
function merged(lists, by) {
  var at = lists.map(function () { return 0; });
  var total = lists.reduce(function (sum, list) { return sum + list.length; }, 0);
  if (!by) {
    lists = [[].concat.apply([], lists).sort(function (a, b) { return b.score - a.score; })];
    at = [0];
  }
  var last = by === "oldest" ? "9999" : "0000";
  function page(result) {
    result.page = result.page || result.data();
    return result.page;
  }
  return {
    length: total,
    next: async function (count) {
      var out = [];
      while (out.length < count) {
        var heads = lists.map(function (list, i) { return at[i] < list.length ? i : -1; }).filter(function (i) { return i >= 0; });
        if (!heads.length) { break; }
        var pages = await Promise.all(heads.map(function (i) { return page(lists[i][at[i]]); }));
        var best = 0;
        pages.forEach(function (candidate, n) {
          var mine = (candidate.meta && candidate.meta.sort) || last;
          var theirs = (pages[best].meta && pages[best].meta.sort) || last;
          if (by === "oldest" ? mine < theirs : mine > theirs) { best = n; }
        });
        out.push(pages[best]);
        at[heads[best]] += 1;
      }
      return out;
    }
  };
}

// Pagefind leaves out of a query the words its index does not have at all ("hello xyzzy" finds
// the pages with hello). A shard that lacks a word other shards have would so find pages one
// index would not (a column intro with 主 for 民主评议): such a shard's results are dropped, so
// that the shards together find what one index would.
async function sameAsOneIndex(modules, term, each) {
  var words = term.replace(/"/g, " ").trim().split(/\s+/);
  if (modules.length < 2 || words.length < 2) {
    return each;
  }
  var has = await Promise.all(modules.map(function (module) {
    return Promise.all(words.map(function (word) {
      return module.search(word).then(function (found) { return found.results.length > 0; });
    }));
  }));
  return each.map(function (one, shard) {
    var lacks = words.some(function (word, i) {
      return !has[shard][i] && has.some(function (other) { return other[i]; });
    });
    return lacks ? { results: [], filters: {} } : one;
  });
}

async function searchAll(term, again) {
  var modules = await load(again);
  // Pagefind 1.5 loads its filters while the first search runs, and that search counts only
  // those loaded by then: so they are loaded first.
  var all = addCounts(await Promise.all(modules.map(function (module) { return module.filters(); })));
  forgetLostFilters(all);
  var options = { filters: filtersInUse(), sort: ORDERS[order] || undefined };
  var each = await Promise.all(modules.map(function (module) { return module.search(term, options); }));
  each = await sameAsOneIndex(modules, term, each);
  var by = options.sort ? order : null;
  return { all: all, filters: addCounts(each.map(function (one) { return one.filters; })),
    results: merged(each.map(function (one) { return one.results; }), by) };
}

function clear(message) {
  latest += 1;
  shown = merged([], null);
  drawn = 0;
  list.textContent = "";
  more.hidden = true;
  tools.hidden = true;
  panel.hidden = true;
  list.removeAttribute("aria-busy");
  status.textContent = message;
}

// Runs the search in the box; `then` (if given) runs once its results are drawn.
async function run(then) {
  window.clearTimeout(timer);
  var term = box.value.trim();
  if (!term) {
    clear(text("hint"));
    return;
  }
  var mine = ++latest;
  list.setAttribute("aria-busy", "true");
  try {
    try {
      await show(processTerm(term), mine, false);
    } catch (cut) {
      // An index put live while this search read the one before (its files gone): once more,
      // with the index now live.
      await show(processTerm(term), mine, true);
    }
  } catch (error) {
    if (mine === latest) {
      clear(text("failed"));
      window.console.error("search failed:", error);
    }
    return;
  }
  if (mine !== latest) {
    return;
  }
  var count = shown.length;
  status.textContent = count === 0 ? text("found-none", { query: term })
    : text(count === 1 ? "found-one" : "found-other", { count: count, query: term });
  tools.hidden = false;
  panel.hidden = toggle.getAttribute("aria-expanded") !== "true";
  list.removeAttribute("aria-busy");
  if (then) { then(); }
}

// Searches and draws the first results (unless a newer search began meanwhile).
async function show(term, mine, again) {
  var search = await searchAll(term, again);
  if (mine !== latest) {
    return;
  }
  shown = search.results;
  drawn = 0;
  drawFilters(search.all, search.filters || {});
  await drawMore(mine);
}

// A value the index no longer has (an old address) would find nothing, with no box to untick.
function forgetLostFilters(all) {
  var before = JSON.stringify(chosen);
  FILTERS.forEach(function (name) {
    chosen[name] = chosen[name].filter(function (value) { return (all[name] || {})[value] !== undefined; });
  });
  if (JSON.stringify(chosen) !== before) {
    remember();
  }
}

function schedule() {
  window.clearTimeout(timer);
  list.setAttribute("aria-busy", "true");  // (until the results are drawn)
  timer = window.setTimeout(function () { run(); }, TYPING_PAUSE);
}

// Draws the next PAGE_SIZE results; returns the first link it drew (or null).
async function drawMore(mine) {
  var start = drawn;
  var pages = await shown.next(PAGE_SIZE);
  if (mine !== latest) {
    return null;
  }
  if (start === 0) {
    list.textContent = "";
  }
  var items = pages.map(drawResult);
  list.append.apply(list, items);
  drawn = start + pages.length;
  more.hidden = drawn >= shown.length;
  return items.length ? items[0].querySelector("a") : null;
}

function drawResult(page) {
  var item = document.createElement("li");
  item.className = "search-result";
  var heading = document.createElement("h2");
  heading.className = "search-result-title";
  var link = document.createElement("a");
  link.href = page.url;
  link.textContent = (page.meta && page.meta.title) || page.url;
  heading.appendChild(link);
  item.appendChild(heading);
  var facts = document.createElement("p");
  facts.className = "search-result-meta";
  ["date", "column"].forEach(function (name) {
    if (page.meta && page.meta[name]) {
      var fact = document.createElement("span");
      fact.textContent = text("meta", { label: text("label-" + name), value: page.meta[name] });
      facts.appendChild(fact);
    }
  });
  if (facts.childNodes.length) {
    item.appendChild(facts);
  }
  var excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  appendExcerpt(excerpt, (page.excerpt || "").replace(GAP, "$1"));
  item.appendChild(excerpt);
  return item;
}

// Pagefind's excerpt is HTML with <mark>s: only its text and the marks are kept.
function appendExcerpt(into, html) {
  var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
  parsed.querySelectorAll("mark").forEach(function (mark) {
    mark.replaceWith("\u0000" + mark.textContent + "\u0001");
  });
  // Marks side by side (an index with a mark for each Chinese character) become one.
  parsed.textContent.replace(/\u0001[\u200b]*\u0000/g, "").split(/(\u0000[^\u0001]*\u0001)/).forEach(function (part) {
    if (part.charAt(0) === "\u0000") {
      var mark = document.createElement("mark");
      mark.textContent = part.slice(1, -1);
      into.appendChild(mark);
    } else if (part) {
      into.appendChild(document.createTextNode(part));
    }
  });
}

// One group of checkboxes per filter; each value with its number of results, those with none
// hidden unless ticked. The boxes are made once and kept, so that the focus stays on them.
function drawFilters(all, counts) {
  var active = 0;
  FILTERS.forEach(function (name) {
    var values = Object.keys(all[name] || {}).sort(function (a, b) { return a.localeCompare(b); });
    var group = panel.querySelector("[data-filter=\"" + name + "\"]");
    if (!group && values.length) {
      group = makeGroup(name, values);
      panel.appendChild(group);
    }
    if (!group) {
      return;
    }
    var visible = 0;
    group.querySelectorAll("input").forEach(function (input) {
      var count = (counts[name] || {})[input.value] || 0;
      input.checked = chosen[name].indexOf(input.value) >= 0;
      input.closest("li").hidden = !count && !input.checked;
      input.closest("label").querySelector(".search-filter-count").textContent = String(count);
      visible += input.closest("li").hidden ? 0 : 1;
      active += input.checked ? 1 : 0;
    });
    group.hidden = !visible;
  });
  toggle.setAttribute("data-count", active ? String(active) : "");
}

function makeGroup(name, values) {
  var group = document.createElement("fieldset");
  group.className = "search-filter";
  group.setAttribute("data-filter", name);
  var legend = document.createElement("legend");
  legend.textContent = text("label-" + name);
  group.appendChild(legend);
  var items = document.createElement("ul");
  values.forEach(function (value) {
    var item = document.createElement("li");
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.name = name;
    input.value = value;
    var words = document.createElement("span");
    words.textContent = value;
    var count = document.createElement("span");
    count.className = "search-filter-count";
    label.append(input, " ", words, " ", count);
    item.appendChild(label);
    items.appendChild(item);
  });
  group.appendChild(items);
  return group;
}

function showFilters(open) {
  toggle.setAttribute("aria-expanded", String(open));
  panel.hidden = !open || tools.hidden;
}

// ---- what the visitor does ----

function start() {
  box.value = (params.get("q") || "").trim();
  box.setAttribute("aria-controls", list.id);
  control.value = order;
  showFilters(FILTERS.some(function (name) { return chosen[name].length > 0; }));
  listenToTheBox();
  listenToTheTools();
  if (box.value) {
    run();
  } else {
    status.textContent = text("hint");
    box.focus();
  }
}

function listenToTheBox() {
  // While a Chinese input method composes a word, the box holds its pinyin: the search waits for
  // the characters.
  box.addEventListener("input", function (event) {
    if (!event.isComposing) {
      remember();
      schedule();
    }
  });
  box.addEventListener("compositionend", function () {
    remember();
    schedule();
  });

  // Enter searches here, at once, instead of opening the page again; the focus moves to the count.
  box.form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    run(function () {
      status.setAttribute("tabindex", "-1");
      status.focus();
    });
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && box.value && !event.isComposing) {
      event.preventDefault();
      box.value = "";
      remember();
      run();
    }
  });

  status.addEventListener("blur", function () { status.removeAttribute("tabindex"); });
}

function listenToTheTools() {
  panel.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "checkbox") {
      return;
    }
    var values = chosen[input.name].filter(function (value) { return value !== input.value; });
    chosen[input.name] = input.checked ? values.concat([input.value]) : values;
    remember();
    run();
  });

  toggle.addEventListener("click", function () {
    showFilters(toggle.getAttribute("aria-expanded") !== "true");
  });

  // Escape in the filters hides them and leaves the focus on their button.
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      showFilters(false);
      toggle.focus();
    }
  });

  control.addEventListener("change", function () {
    order = orderOf(control.value);
    remember();
    run();
  });

  more.querySelector("button").addEventListener("click", function () {
    var mine = latest;
    drawMore(mine).then(function (first) {
      if (first) { first.focus(); }  // the keyboard goes on from the first new result
    });
  });
}

if (root && box) {
  start();
}
