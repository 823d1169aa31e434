/*
 * sitegen default theme: the search page (/search/), the only page with JavaScript; a module
 * (search.html loads it with type=module), so nothing of it is global.
 *
 * One search box: the header's (base.html). On this page it is the query: it shows ?q=, a search
 * runs as the visitor types (and at once on Enter, which then takes the focus to the results, so a
 * phone's keyboard gets out of the way), Escape empties it. Results come from Pagefind's own
 * script (pagefind/pagefind.js, written by `sitegen build` with the index) through
 * search_index.js, which also merges the index's shards; they are drawn here rather than by
 * Pagefind's UI: the count goes into a live region (role=status) in the site's language, the
 * column and tag filters wait behind one button beside the order, and the first result shows on
 * a phone without scrolling. A result shows its title, date and column, the tags that found it if
 * its text did not, and an excerpt of its text (search_index.js), the query's words marked in all of
 * them. Every text shown comes from search.html's data-* attributes. The
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
var pagefind = null;  // the shards of the index, once loaded
var index = null;  // search_index.js, once loaded
var indexLoading = null;
var latest = 0;  // the newest search wins; an older one that ends later is dropped
var timer = null;
var NOTHING = { length: 0, next: async function () { return []; } };
var shown = NOTHING;  // the results of the search on screen, and how many of them are drawn
var drawn = 0;

function text(name, values) {
  return (root.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
    return Object.prototype.hasOwnProperty.call(values || {}, key) ? values[key] : all;
  });
}

function orderOf(value) {
  return Object.prototype.hasOwnProperty.call(ORDERS, value) ? value : DEFAULT_ORDER;
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

// search_index.js, which search.html names (its address is fingerprinted); asked for as the page
// starts, so that a first search need not wait for it.
function indexScript() {
  indexLoading = indexLoading || import(root.getAttribute("data-index-script"));
  return indexLoading;
}

// The index's shards (search_index.js).
// `again`: new copies of everything, for a search that an index put live meanwhile cut across.
function load(again) {
  if (!pagefind || again) {
    pagefind = indexScript().then(function (module) {
      index = module;
      return module.loadIndex(root.getAttribute("data-bundle"), again);
    });
  }
  return pagefind;
}

async function searchAll(term, again) {
  var shards = await load(again);
  var sort = ORDERS[order] || undefined;
  return index.searchAll(shards, index.asSent(term, order !== "relevance"), { sort: sort, order: order },
    function (all) {
      forgetLostFilters(all);
      return filtersInUse();
    });
}

function clear(message) {
  latest += 1;
  shown = NOTHING;
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
      await show(term, mine, false);
    } catch (cut) {
      // An index put live while this search read the one before (its files gone): once more,
      // with the index now live.
      await show(term, mine, true);
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

function element(name, className) {
  var made = document.createElement(name);
  if (className) { made.className = className; }
  return made;
}

function drawResult(page) {
  var words = index.queryWords(box.value);
  var meta = page.meta || {};
  var item = element("li", "search-result");
  var heading = item.appendChild(element("h2", "search-result-title"));
  var link = heading.appendChild(element("a"));
  link.href = page.url;
  index.appendWithMarks(link, meta.title || page.url, words);
  var facts = item.appendChild(element("p", "search-result-meta"));
  var excerpt = element("p", "search-result-excerpt");
  var inText = index.appendExcerpt(excerpt, page, words);
  // Found by a tag: the tags that have the query's words (those of a post found in its text
  // would only take room).
  var tags = inText ? [] : ((page.filters || {}).tag || []).filter(function (tag) { return index.hasAny(tag, words); });
  [["date", meta.date], ["column", meta.column], ["tag", tags.join(text("separator"))]].forEach(function (fact) {
    if (fact[1]) {
      var shown = facts.appendChild(element("span"));
      var around = text("meta", { label: text("label-" + fact[0]), value: "\u0002" }).split("\u0002");
      shown.append(around[0]);
      index.appendWithMarks(shown, fact[1], fact[0] === "date" ? [] : words);
      shown.append(around[1] || "");
    }
  });
  if (!facts.childNodes.length) {
    item.removeChild(facts);
  }
  item.appendChild(excerpt);
  return item;
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
  var group = element("fieldset", "search-filter");
  group.setAttribute("data-filter", name);
  group.appendChild(element("legend")).textContent = text("label-" + name);
  var items = group.appendChild(element("ul"));
  values.forEach(function (value) {
    var input = element("input");
    input.type = "checkbox";
    input.name = name;
    input.value = value;
    var words = element("span");
    words.textContent = value;
    var label = items.appendChild(element("li")).appendChild(element("label"));
    label.append(input, " ", words, " ", element("span", "search-filter-count"));
  });
  return group;
}

function showFilters(open) {
  toggle.setAttribute("aria-expanded", String(open));
  panel.hidden = !open || tools.hidden;
}

// ---- what the visitor does ----

function start() {
  indexScript();
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
