/* Search for the hub, on Pagefind's index (built by `hub build` into /pagefind/).
 *
 * Two parts share one lazily loaded index:
 * - the header box on every page: results as you type, "/" to focus it, Escape to close;
 * - the Find practice page: words plus filters (theme, region, authority, evidence, year).
 *   Values within a group combine with OR, groups with AND; each value shows how many results
 *   it would give; the state lives in the address, so links can be shared, back and forward
 *   work and reloading keeps it.
 * Nothing here turns index text into markup: every string is placed with textContent, and
 * search excerpts are built from the page text as typed (see `excerpt`).
 */
(function () {
  "use strict";

  // The Find practice page hands these over in its data-config attribute (Catalogue.find_config,
  // from the hub's reference data): the filter groups as [name, label] pairs, every value of each
  // group with how many case studies have it (so the filters are drawn at once, before the index
  // loads, and the page does not jump), the order of the values a group is sorted by, the groups
  // listed newest first, and the word every case-study page holds (a listing by filters alone
  // searches for it: a search with no words would fetch Pagefind's whole index).
  var GROUPS = [];
  var VALUES = {};
  var ORDER = {};
  var DESCENDING = [];
  var EVERY_CASE_STUDY = "";
  var PAGE_SIZE = 10;
  // Said when the index cannot be fetched: offline, or `hub serve`'s preview, which has none
  // (its pages carry <meta name="hub-preview">).
  var UNAVAILABLE = document.querySelector('meta[name="hub-preview"]')
    ? "This preview has no search index: search works on the built site (make build). Browse the case studies by theme, region or authority."
    : "Search could not be loaded. Try again later, or browse the case studies by theme, region or authority.";

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  var loading = null;
  function pagefind() {
    if (!loading) {
      var base = siteBase();
      loading = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () {
          return module.init();
        }).then(function () {
          return module;
        });
      });
      loading.catch(function () { loading = null; filtering = null; });  // the next search tries again
    }
    return loading;
  }

  /* Every filter value with its total. Pagefind counts only the filter groups it has loaded,
     so this must finish before a filtered search whose counts we show. */
  var filtering = null;
  function allFilters() {
    if (!filtering) filtering = pagefind().then(function (pf) { return pf.filters(); });
    return filtering;
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Pagefind's own excerpt escapes "<" and ">" but not "&", so typed "&lt;" could not be told
  // from typed "<". The excerpt is built here instead, from the page text exactly as typed, the
  // way Pagefind chooses it (its excerpt.ts): the EXCERPT_WORDS words around the densest run of
  // matches, each word placed as text and each match in a <mark>.
  var EXCERPT_WORDS = 30;

  function excerptStart(weighted) {
    var weights = [];
    weighted.forEach(function (w) {
      weights[w.location] = (weights[w.location] || 0) + w.balanced_score;
    });
    if (weights.length <= EXCERPT_WORDS) return 0;
    var sum = 0;
    for (var i = 0; i < EXCERPT_WORDS; i++) sum += weights[i] || 0;
    var densest = sum, densestAt = [0];
    for (i = 0; i < weights.length; i++) {
      sum += (weights[i + EXCERPT_WORDS] || 0) - (weights[i] || 0);
      if (sum > densest) { densest = sum; densestAt = [i]; }
      else if (sum === densest && densestAt[densestAt.length - 1] === i - 1) densestAt.push(i);
    }
    return densestAt[Math.floor(densestAt.length / 2)];
  }

  function excerpt(item) {
    var words = item.content.split(/[\r\n\s]+/g);
    var start = Math.max(0, Math.min(excerptStart(item.weighted_locations || []), words.length - EXCERPT_WORDS));
    var marked = {};
    (item.locations || []).forEach(function (l) { marked[l] = true; });
    var p = el("p", { class: "hub-result__excerpt" });
    var plain = "";
    words.slice(start, start + EXCERPT_WORDS).forEach(function (word, i) {
      if (!marked[start + i]) {
        plain += (plain || p.firstChild ? " " : "") + word;
        return;
      }
      if (plain || p.firstChild) plain += " ";
      if (plain) p.appendChild(document.createTextNode(plain));
      plain = "";
      p.appendChild(el("mark", {}, word));
    });
    if (plain.trim()) p.appendChild(document.createTextNode(plain.replace(/\s+$/, "")));
    return p;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  /* ---------------------------------------------------------------- header box */

  function header(form) {
    var input = form.querySelector("input");
    var panel = form.querySelector(".hub-search__results");
    var status = form.querySelector("[role=status]");

    function close() {
      panel.hidden = true;
    }

    var run = debounce(function (term) {
      if (!term.trim()) { close(); status.textContent = ""; return; }
      pagefind().then(function (pf) {
        return pf.debouncedSearch(term, {}, 0);
      }).then(function (search) {
        if (!search || input.value !== term) return;
        return Promise.all(search.results.slice(0, 6).map(function (r) { return r.data(); })).then(function (items) {
          panel.textContent = "";
          var list = el("ul", { class: "hub-search__list" });
          items.forEach(function (item) {
            var li = el("li");
            var link = el("a", { href: item.url }, item.meta.title || item.url);
            li.appendChild(link);
            if (item.meta.kind) li.appendChild(el("span", { class: "hub-search__kind" }, " — " + item.meta.kind));
            list.appendChild(li);
          });
          panel.appendChild(list);
          var all = new URL("find/", siteBase());
          all.searchParams.set("q", term);
          panel.appendChild(el("a", { href: all.href, class: "hub-search__all" }, "See all " + plural(search.results.length, "result", "results")));
          panel.hidden = false;
          status.textContent = plural(search.results.length, "result", "results") + " for " + term + ". Press Tab to reach them.";
        });
      }).catch(function () {
        if (input.value !== term) return;
        close();
        status.textContent = UNAVAILABLE;
      });
    }, 150);

    input.addEventListener("input", function () { run(input.value); });
    input.addEventListener("focus", function () { pagefind().catch(function () {}); });  // a head start; a search reports failure
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  /* ---------------------------------------------------------------- find page */

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var asked = params.get("sort");
    var state = { q: params.get("q") || "", sort: asked === "relevance" || asked === "started" ? asked : "newest", filters: {} };
    GROUPS.forEach(function (group) { state.filters[group[0]] = params.getAll(group[0]); });
    return state;
  }

  function writeState(state, push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    GROUPS.forEach(function (group) {
      state.filters[group[0]].forEach(function (value) { params.append(group[0], value); });
    });
    if (state.sort !== "newest") params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) return;
    window.history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function pagefindFilters(filters, except) {
    var out = {};
    Object.keys(filters).forEach(function (name) {
      if (name !== except && filters[name].length) out[name] = { any: filters[name] };
    });
    return out;
  }

  function find(root) {
    var config = JSON.parse(root.dataset.config);
    GROUPS = config.groups;
    VALUES = config.values;
    ORDER = config.order;
    DESCENDING = config.descending;
    EVERY_CASE_STUDY = config.every;
    var state = readState();
    var form = el("form", { class: "hub-find__form", role: "search" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    var words = el("div", { class: "hub-find__words" });
    words.appendChild(el("label", { for: "hub-find-q" }, "Words to search for"));
    var input = el("input", { id: "hub-find-q", type: "search", name: "q", autocomplete: "off" });
    input.value = state.q;
    words.appendChild(input);
    words.appendChild(el("label", { for: "hub-find-sort" }, "Order"));
    var sort = el("select", { id: "hub-find-sort", name: "sort" });
    sort.appendChild(el("option", { value: "newest" }, "Newest first"));
    sort.appendChild(el("option", { value: "started" }, "Latest work first"));
    sort.appendChild(el("option", { value: "relevance" }, "Most relevant first"));
    sort.value = state.sort;
    words.appendChild(sort);
    form.appendChild(words);

    // The filters fold away under a summary: closed on a phone, so the results come straight
    // after the search box; open beside the results where the screen is wide enough.
    var filters = el("details", { class: "hub-find__filters" });
    var summary = el("summary", { class: "hub-find__summary" });
    filters.appendChild(summary);
    var groups = el("div", { class: "hub-find__groups" });
    filters.appendChild(groups);
    var clear = el("button", { type: "button", class: "md-button hub-find__clear" }, "Clear search and filters");
    filters.appendChild(clear);
    if (window.matchMedia && window.matchMedia("(min-width: 60em)").matches) filters.open = true;

    var found = el("div", { class: "hub-find__found" });
    var status = el("p", { class: "hub-find__status", role: "status", "aria-live": "polite" }, "Searching…");
    var results = el("ol", { class: "hub-find__results" });
    var more = el("button", { type: "button", class: "md-button hub-find__more", hidden: "" }, "Show more");
    // The results' titles are level-3 headings under this one, so no heading level is skipped.
    found.appendChild(el("h2", { class: "hub-visually-hidden" }, "Results"));
    found.appendChild(status);
    found.appendChild(results);
    found.appendChild(more);
    var body = el("div", { class: "hub-find__body" });
    body.appendChild(filters);
    body.appendChild(found);
    root.textContent = "";
    root.appendChild(form);
    root.appendChild(body);

    var shown = [];
    var shownFor = 0;  // the search `shown` holds the results of
    var page = 0;
    var counter = 0;

    function renderGroups(all, counts) {
      var focused = document.activeElement && document.activeElement.id;
      var chosen = GROUPS.reduce(function (n, group) { return n + state.filters[group[0]].length; }, 0);
      summary.textContent = "Filter by theme, region, local authority and more" + (chosen ? " (" + chosen + " chosen)" : "");
      groups.textContent = "";
      GROUPS.forEach(function (group, index) {
        var name = group[0];
        var values = Object.keys(all[name] || {});
        if (!values.length) return;
        if (ORDER[name]) values.sort(function (a, b) { return ORDER[name].indexOf(a) - ORDER[name].indexOf(b); });
        else if (DESCENDING.indexOf(name) >= 0) values.sort().reverse();
        else values.sort(function (a, b) { return a.localeCompare(b); });
        var fieldset = el("fieldset", { class: "hub-find__group" });
        fieldset.appendChild(el("legend", {}, group[1]));
        values.forEach(function (value, n) {
          var id = "hub-find-" + index + "-" + n;
          var count = (counts[name] || {})[value] || 0;
          var checked = state.filters[name].indexOf(value) >= 0;
          var row = el("div", { class: "hub-find__option" });
          var box = el("input", { type: "checkbox", id: id, name: name, value: value });
          box.checked = checked;
          var label = el("label", { for: id }, value + " (" + count + ")");
          if (!count && !checked) row.classList.add("hub-find__option--empty");
          box.addEventListener("change", function () {
            var list = state.filters[name];
            if (box.checked) list.push(value); else list.splice(list.indexOf(value), 1);
            update(true);
          });
          row.appendChild(box);
          row.appendChild(label);
          fieldset.appendChild(row);
        });
        groups.appendChild(fieldset);
      });
      if (focused) {
        var again = document.getElementById(focused);
        if (again) again.focus();
      }
    }

    function renderResults(items, total, append) {
      if (!append) results.textContent = "";
      items.forEach(function (item) {
        var li = el("li", { class: "hub-result" });
        var heading = el("h3", { class: "hub-result__title" });
        heading.appendChild(el("a", { href: item.url }, item.meta.title || item.url));
        li.appendChild(heading);
        var details = [item.meta.lead, item.meta.regions, item.meta.when, item.meta.evidence ? "Evidence: " + item.meta.evidence : "", item.meta.kind !== "Case study" ? item.meta.kind : ""]
          .filter(Boolean).join(" · ");
        if (details) li.appendChild(el("p", { class: "hub-result__details" }, details));
        if (state.q && item.content) li.appendChild(excerpt(item));
        else if (item.meta.summary) li.appendChild(el("p", { class: "hub-result__excerpt" }, item.meta.summary));
        results.appendChild(li);
      });
      more.hidden = results.children.length >= total;
    }

    // Results of an earlier search that arrive late (a "Show more" clicked just before a new
    // search) are dropped: `counter` counts searches, and each load remembers its own.
    var pageLoading = false;

    function loadPage(append) {
      var ticket = counter;
      var slice = shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
      pageLoading = true;
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
        if (ticket !== counter) return;
        pageLoading = false;
        var first = results.children.length;
        renderResults(items, shown.length, append);
        // After "Show more", keyboard and screen-reader users go on from the first new result.
        if (append && results.children[first]) results.children[first].querySelector("a").focus();
      }, function (error) {
        if (ticket !== counter) return;
        pageLoading = false;
        if (!append) throw error;  // the search itself failed: update() says so
        page -= 1;
        // Pagefind keeps a failed part of the index as failed, so only a reload tries again.
        status.textContent = "More results could not be loaded. Check the connection, then reload the page.";
      });
    }

    function update(push) {
      writeState(state, push);
      var ticket = ++counter;
      var active = pagefindFilters(state.filters);
      var browsing = !state.q;
      var options = { filters: active };
      if (state.sort === "started") options.sort = { started: "desc" };
      else if (browsing || state.sort === "newest") options.sort = { date: "desc" };
      Promise.all([pagefind(), allFilters()]).then(function (ready) {
        var pf = ready[0];
        var all = VALUES;
        var term = state.q || EVERY_CASE_STUDY;
        return pf.search(term, options).then(function (main) {
          if (ticket !== counter) return;
          shown = main.results;
          shownFor = ticket;
          page = 0;
          var said = shown.length ? plural(shown.length, "result", "results") + (state.sort === "started" ? ", latest work first" : browsing ? ", newest first" : "") : "No results. Try fewer words or filters.";
          // Results first, and the count announced once they are on the page; then one more
          // search for each group in use, without its own choices, so that each value's count
          // says what ticking it would give.
          return loadPage(false).then(function () {
            if (ticket !== counter) return;
            status.textContent = said;
            var counts = {};
            GROUPS.forEach(function (group) { counts[group[0]] = (main.filters || {})[group[0]] || {}; });
            var recounts = GROUPS.filter(function (group) { return state.filters[group[0]].length; }).map(function (group) {
              var without = { filters: pagefindFilters(state.filters, group[0]) };
              if (options.sort) without.sort = options.sort;
              return pf.search(term, without).then(function (s) { counts[group[0]] = (s.filters || {})[group[0]] || {}; });
            });
            return Promise.all(recounts).then(function () {
              if (ticket === counter) renderGroups(all, counts);
            });
          });
        });
      }).catch(function () {
        if (ticket !== counter) return;
        results.textContent = "";
        more.hidden = true;
        status.textContent = UNAVAILABLE + " The lists are below.";
      });
    }

    input.addEventListener("input", debounce(function () { state.q = input.value.trim(); update(false); }, 80));
    sort.addEventListener("change", function () { state.sort = sort.value; update(true); });
    clear.addEventListener("click", function () {
      state = { q: "", sort: "newest", filters: {} };
      GROUPS.forEach(function (group) { state.filters[group[0]] = []; });
      input.value = "";
      sort.value = "newest";
      update(true);
      input.focus();
    });
    more.addEventListener("click", function () {
      // A second click before the first's results arrive, or a click while a new search is
      // under way (the list is about to be replaced): nothing to add to.
      if (pageLoading || shownFor !== counter) return;
      page += 1;
      loadPage(true);
    });
    window.addEventListener("popstate", function () {
      state = readState();
      input.value = state.q;
      sort.value = state.sort;
      update(false);
    });
    // The filters are drawn at once from the page's own list, with each value's total, so the
    // page does not move when the index arrives; each search then recounts them.
    renderGroups(VALUES, VALUES);
    update(false);
  }

  function start() {
    var box = document.querySelector("[data-hub-search]");
    if (box) header(box);
    var explorer = document.querySelector("[data-hub-find]");
    if (explorer) find(explorer);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    // Material's instant navigation is off, so each page loads once; this covers both cases.
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
