/*
 * sitegen default theme: the search page (/search/), the only page with JavaScript.
 *
 * Starts Pagefind's own UI (pagefind/pagefind-ui.js, written by `sitegen build` with the index)
 * in #search, in the page's language (<html lang>), and runs the query in ?q= (what the search box
 * in every page's header sends). Results come newest first; the order control also offers oldest
 * first and best match. The address keeps the query and the order (?q=...&sort=...), so reloading
 * or sharing it shows the same results. Nothing is fetched from outside the site.
 *
 * Chinese: the index has each Chinese character as a word of its own (sitegen/search.py), and the
 * query is sent the same way. Sorted by date, a query typed as one word is a phrase: "民主评议"
 * becomes "民 主 评 议" in quotes, which finds exactly the pages with those characters in that
 * order, wherever they stand in a sentence (Pagefind does not rank phrase matches, so a date order
 * suits them). Best match ranks pages by how often they have the query's characters, so it also
 * shows pages that have them apart, after the closer matches. Several words ("民主评议 2019") find
 * the pages that have all of them.
 */
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  var ORDERS = { newest: { newest: "desc" }, oldest: { oldest: "asc" }, relevance: null };  // post.html
  var DEFAULT_ORDER = "newest";
  var HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;  // as sitegen/search.py
  var EACH_HAN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/g;
  // A space between two Chinese characters or punctuation marks, maybe at the edge of a highlight.
  var GAP = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef](?:<\/mark>)?) (?=(?:<mark>)?[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;
  var control = document.getElementById("search-order");
  var order = orderOf(new URLSearchParams(window.location.search).get("sort"));
  var ui = null;
  var starts = 0;  // the latest start() wins

  function orderOf(value) {
    return Object.prototype.hasOwnProperty.call(ORDERS, value) ? value : DEFAULT_ORDER;
  }

  // The query as the index has it: each Chinese character a word (see above).
  function processTerm(term) {
    var typed = term.trim();
    if (!HAS_HAN.test(typed)) {
      return term;
    }
    var quoted = /^".*"$/.test(typed);
    var words = typed.replace(/^"|"$/g, "").replace(EACH_HAN, " $1 ").replace(/\s+/g, " ").trim();
    var phrase = quoted || (order !== "relevance" && !/\s/.test(typed));
    return phrase ? "\"" + words + "\"" : words;
  }

  // On an English site Pagefind shows the Chinese characters of an excerpt as separate words.
  function processResult(result) {
    if (typeof result.excerpt === "string") {
      result.excerpt = result.excerpt.replace(GAP, "$1");
    }
    return result;
  }

  function currentTerm() {
    var input = root.querySelector(".pagefind-ui__search-input");
    return input ? input.value.trim() : "";
  }

  function currentFilters() {
    var filters = {};
    root.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function remember(term) {
    var params = new URLSearchParams(window.location.search);
    if (term) { params.set("q", term); } else { params.delete("q"); }
    if (order !== DEFAULT_ORDER) { params.set("sort", order); } else { params.delete("sort"); }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function start(term, filters) {
    if (ui) {
      ui.destroy();
      ui = null;
    }
    // Pagefind 1.5 loads its filters while the first search runs; a search that ends first shows
    // only the filters loaded by then, for good. So the filters are loaded before the UI starts.
    var bundle = root.getAttribute("data-bundle");
    var mine = ++starts;
    return import(bundle + "pagefind.js")
      .then(function (pagefind) { return pagefind.filters(); })
      .catch(function () { /* the UI reports what went wrong */ })
      .then(function () {
        if (mine !== starts) {
          return;
        }
        ui = new window.PagefindUI({
          element: root,
          bundlePath: bundle,
          showSubResults: false,
          showImages: false,
          excerptLength: 40,
          openFilters: filters ? Object.keys(filters) : [],  // those in use stay open
          autofocus: !term,
          sort: ORDERS[order],
          processTerm: processTerm,
          processResult: processResult
        });
        // Pagefind's box has only a placeholder: the page's heading names it.
        var input = root.querySelector(".pagefind-ui__search-input");
        if (input) {
          input.setAttribute("aria-labelledby", "search-title");
        }
        if (term) {
          ui.triggerSearch(term);
        }
        if (filters && Object.keys(filters).length) {
          ui.triggerFilters(filters);
        }
      });
  }

  start((new URLSearchParams(window.location.search).get("q") || "").trim(), null);

  // The address follows what is typed, so that reloading shows the same results.
  root.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("pagefind-ui__search-input")) {
      remember(event.target.value.trim());
    }
  });

  if (control) {
    control.value = order;
    control.closest(".search-order").hidden = false;
    control.addEventListener("change", function () {
      var term = currentTerm();
      var filters = currentFilters();
      order = orderOf(control.value);
      start(term, filters);
      remember(term);
    });
  }
})();
