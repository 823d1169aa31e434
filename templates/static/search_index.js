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
    await shard.options({ excerptLength: EXCERPT_WORDS });  // (Pagefind's excerpt is not shown: appendExcerpt)
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

// ---- what a result shows of its page ----
// A record's text begins with its post's title, column and tags (sitegen/search_records.py), so
// that they are found; but the result shows them above its excerpt already. So the excerpt is
// taken from the post's own text: around the matches in it, or, for a post found by its title,
// column or a tag alone, its first words (search.js then shows the tags that matched).

var EXCERPT_WORDS = 30;  // the reach of a run of matches (a word for each Chinese character)
// How much of the text an excerpt shows, in the widths of a Latin letter (a Chinese character is
// two): about two lines on a phone, Chinese or English (Pagefind's 30 words were a line and a
// half of Chinese, four lines of English).
var EXCERPT_WIDTH = 64;
var CLAUSE_END = /[。！？；，、：.!?;,:\u00b7]\s*$/;  // (\u00b7: the mark between blocks)
var SPACE_MARK = "\u2060";

// The words of a page as Pagefind counts them for its match locations: split at white space.
// sitegen set each Chinese character apart with spaces (search_records.han_words_text), and an
// author's own space beside one is followed by a word joiner (SPACE_MARK).
// Pagefind's raw_content is the text with only < and > escaped.
function wordsOf(page) {
  return (page.raw_content || "").split(/[\r\n\s]+/g).map(function (word) {
    return word.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  });
}

function squeezed(text) {
  return text.replace(/[\s\u2060]+/g, "");
}

// The first word of the post's own text: the one after as many characters (spaces aside) as its
// title, column and tags have, each followed by the mark between them (" · ", search_records.BREAK).
function textStart(words, page) {
  var meta = page.meta || {};
  var head = [meta.title || "", meta.column || ""].concat((page.filters || {}).tag || []);
  var wanted = head.reduce(function (sum, part) { return sum + (part ? squeezed(part).length + 1 : 0); }, 0);
  var seen = 0;
  var at = 0;
  while (at < words.length && seen < wanted) {
    seen += squeezed(words[at]).length;
    at += 1;
  }
  return at;
}

// The match an excerpt is about: the first of the matches (sorted locations) that the most of
// them fall within `length` words of; -1 if there are none.
function densest(locations, length) {
  var best = 0;
  var first = -1;
  for (var i = 0, j = 0; i < locations.length; i++) {  // (sorted: the window's end only moves on)
    while (j < locations.length && locations[j] < locations[i] + length) { j++; }
    if (j - i > best) {
      best = j - i;
      first = locations[i];
    }
  }
  return first;
}

function widthOf(word) {
  return HAS_HAN.test(word) ? 2 : squeezed(word).length + 1;  // (a space after it)
}

// The end of an excerpt from `start`: as many words as EXCERPT_WIDTH holds.
function filled(words, start) {
  var end = start;
  for (var width = 0; end < words.length && width < EXCERPT_WIDTH; end++) {
    width += widthOf(words[end]);
  }
  return end;
}

// Where an excerpt about the match at `first` starts: at its clause if that starts within a third
// of the excerpt before it, else a third of the excerpt before it; never before `from`.
function before(words, first, from) {
  var at = first;
  for (var width = 0; at > from && width < EXCERPT_WIDTH / 3; at--) {
    if (CLAUSE_END.test(words[at - 1])) {
      return at;
    }
    width += widthOf(words[at - 1]);
  }
  return at;
}

// The words from `from` on that hold a query word (queryWords): a Chinese one across as many words
// as it has characters. (Pagefind gives a phrase's first place only, which may be in the title.)
function locate(words, from, query) {
  var found = [];
  var joined = "";
  var owner = [];
  words.slice(from).forEach(function (word, n) {
    var bare = squeezed(word).toLowerCase();
    joined += bare;
    owner.push.apply(owner, new Array(bare.length).fill(from + n));
    query.forEach(function (wanted) {
      if (!HAS_HAN.test(wanted) && bare.indexOf(wanted) >= 0) { found.push(from + n); }
    });
  });
  query.filter(function (wanted) { return HAS_HAN.test(wanted); }).forEach(function (wanted) {
    for (var at = joined.indexOf(wanted); at >= 0; at = joined.indexOf(wanted, at + wanted.length)) {
      found.push.apply(found, owner.slice(at, at + wanted.length));
    }
  });
  return found;
}

// Appends the excerpt of a result's page (page: Pagefind's data of it) to `into`, its matches
// (Pagefind's, and the query's words) in <mark>s; returns whether any was in the post's own text.
export function appendExcerpt(into, page, query) {
  var words = wordsOf(page);
  var from = textStart(words, page);
  var found = Array.from(new Set((page.locations || []).filter(function (location) { return location >= from; })
    .concat(locate(words, from, query)))).sort(function (a, b) { return a - b; });
  // From the start of the text if that shows the matches with a few words after them.
  var first = densest(found, EXCERPT_WORDS);
  var start = from;
  var end = filled(words, start);
  if (first >= end - 2) {
    start = before(words, first, from);
    end = filled(words, start);
  }
  var marked = new Set(found);
  var text = words.slice(start, end).map(function (word, n) {
    var authors = word.charAt(0) === SPACE_MARK;
    var bare = authors ? word.slice(1) : word;
    var before = words[start + n - 1] || "";
    var apart = n && (authors || !(HAS_HAN.test(before.charAt(before.length - 1)) || HAS_HAN.test(bare.charAt(0))));
    return (apart ? " " : "") + (marked.has(start + n) && bare ? "\u0000" + bare + "\u0001" : bare);
  }).join("").trim();
  // Where it cuts the text, an ellipsis as the excerpt's language writes one.
  var ellipsis = HAS_HAN.test(text) ? "\u2026\u2026" : "\u2026";
  text = (start > from ? ellipsis : "") + text + (end < words.length ? ellipsis : "");
  // Marks side by side (a mark for each Chinese character) become one.
  appendMarked(into, text.replace(/\u0001(\s*)\u0000/g, "$1"));
  return found.length > 0;
}

// Appends text with \u0000...\u0001 around what is marked, as text and <mark>s.
function appendMarked(into, text) {
  text.split(/(\u0000[^\u0001]*\u0001)/).forEach(function (part) {
    if (part.charAt(0) === "\u0000") {
      var mark = document.createElement("mark");
      mark.textContent = part.slice(1, -1);
      into.appendChild(mark);
    } else if (part) {
      into.appendChild(document.createTextNode(part));
    }
  });
}

// The words of a query as typed, to mark in a page's excerpt, title, column and tags.
export function queryWords(term) {
  return term.replace(/"/g, " ").trim().toLowerCase().split(/\s+/).filter(Boolean);
}

// Whether `text` has any of the query's words (any case).
export function hasAny(text, words) {
  var lower = text.toLowerCase();
  return words.some(function (word) { return lower.indexOf(word) >= 0; });
}

// Appends `text` with every query word in it marked.
export function appendWithMarks(into, text, words) {
  var lower = text.toLowerCase();
  var out = "";
  var at = 0;
  while (at < text.length) {
    var next = -1;
    var size = 0;
    words.forEach(function (word) {
      var found = lower.indexOf(word, at);
      if (found >= 0 && (next < 0 || found < next || (found === next && word.length > size))) {
        next = found;
        size = word.length;
      }
    });
    if (next < 0) {
      break;
    }
    out += text.slice(at, next) + "\u0000" + text.slice(next, next + size) + "\u0001";
    at = next + size;
  }
  appendMarked(into, (out + text.slice(at)).replace(/\u0001\u0000/g, ""));
}
