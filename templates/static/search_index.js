/*
 * sitegen default theme: the search index as the search page reads it (search.js draws the page;
 * search.html names this file to it, fingerprinted like every theme script).
 *
 * The index is in shards (sitegen/search_shards.py: pagefind/shards.json lists them; an index
 * without the list is one shard). Each shard is an instance of Pagefind's script from shard 0
 * (createInstance): one script, one web worker and one WebAssembly for all of them, which the
 * shards' entry files point at, so a visitor loads them once, however many shards there are.
 * Shard 0 is loaded first: its instance compiles the WebAssembly, which the other instances in the
 * same worker then find ready (loaded at once, they would each compile their own).
 * Pagefind's mergeIndex was not used: it ranks merged results by score alone, which in a date
 * order is each result's place in its own shard, so dates would interleave wrongly.
 *
 * pagefind/removed.json names the pages of the index whose posts have left the site (deleted,
 * renamed, a draft) since the index was made: they are left out of the results, so a post
 * leaves search the moment the site without it goes live, before its shard is made again
 * (sitegen/search_removed.py).
 */

// The shards of the index at `bundle` (its folder's address) and the pages each has lost. `again`:
// new copies of everything, for a search that an index put live meanwhile cut across (its files gone).
export async function loadIndex(bundle, again) {
  var fresh = again ? "?again=" + Date.now() : "";
  var listed = await Promise.all(["shards.json", "removed.json"].map(function (name) {
    return window.fetch(bundle + name + "?ts=" + Date.now(), { cache: "no-store" }).then(function (answer) {
      return answer.ok ? answer.json() : null;
    }, function () { return null; });
  }));
  var prefixes = (listed[0] && listed[0].shards) || [""];
  var removed = (listed[1] && listed[1].pages) || {};
  var script = await import(bundle + "pagefind.js" + fresh);
  async function open(prefix) {
    var shard = script.createInstance({ basePath: bundle + prefix });
    await shard.options({ excerptLength: 30 });
    await shard.filters();  // (its WebAssembly and meta loaded: see above)
    var gone = new Set(Object.values(removed[prefix] || {}));
    return { search: shard.search, filters: shard.filters, gone: gone };
  }
  var first = await open(prefixes[0]);
  return [first].concat(await Promise.all(prefixes.slice(1).map(open)));
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
export function merged(lists, by) {
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
async function sameAsOneIndex(shards, term, each) {
  var words = term.replace(/"/g, " ").trim().split(/\s+/);
  if (shards.length < 2 || words.length < 2) {
    return each;
  }
  var has = await Promise.all(shards.map(function (shard) {
    return Promise.all(words.map(function (word) {
      return shard.search(word).then(function (found) { return found.results.length > 0; });
    }));
  }));
  return each.map(function (one, n) {
    var lacks = words.some(function (word, i) {
      return !has[n][i] && has.some(function (other) { return other[i]; });
    });
    return lacks ? { results: [], filters: {} } : one;
  });
}

// Searches every shard for `term` with Pagefind's `options` (filters, sort): every filter's
// counts over the whole index (all), those of the results (filters), and the results in order.
// `checkFilters(all)` may change the filters in use before the search runs (it gets the counts).
export async function searchAll(shards, term, options, checkFilters) {
  // Pagefind 1.5 loads its filters while the first search runs, and that search counts only
  // those loaded by then: so they are loaded first.
  var all = addCounts(await Promise.all(shards.map(function (shard) { return shard.filters(); })));
  var chosen = checkFilters(all);
  var wanted = { filters: chosen, sort: options.sort };
  var each = await Promise.all(shards.map(function (shard) {
    return shard.search(term, wanted).then(function (found) {
      var results = found.results.filter(function (result) { return !shard.gone.has(result.id); });
      return { results: results, filters: found.filters };
    });
  }));
  each = await sameAsOneIndex(shards, term, each);
  return { all: all, filters: addCounts(each.map(function (one) { return one.filters; })),
    results: merged(each.map(function (one) { return one.results; }), options.sort ? options.order : null) };
}

var HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;  // as sitegen/search_records.py
var EACH_HAN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/g;
// A space between two Chinese characters or punctuation marks, maybe at the edge of a highlight.
var GAP = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef](?:<\/mark>)?) (?=(?:<mark>)?[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;

// The query as the index has it: each Chinese character a word (see search.js). `phrase`: a query
// of one word is sent as a phrase (a date order).
export function asSent(term, phrase) {
  if (!HAS_HAN.test(term)) {
    return term;
  }
  var quoted = /^".*"$/.test(term);
  var words = term.replace(/^"|"$/g, "").replace(EACH_HAN, " $1 ").replace(/\s+/g, " ").trim();
  return quoted || (phrase && !/\s/.test(term)) ? "\"" + words + "\"" : words;
}

// Pagefind's excerpt is HTML with <mark>s: only its text and the marks are kept.
export function appendExcerpt(into, html) {
  // The mark between blocks (" · ", search_records.BREAK) loses its first space after a Chinese
  // character in Pagefind's excerpts ("心得体会· 党课·"): given back. A "·" inside a name has no space after it.
  html = html.replace(GAP, "$1").replace(/(\S)\u00b7 /g, "$1 \u00b7 ");
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

