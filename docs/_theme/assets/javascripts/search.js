// Search, loaded by site.js the first time the reader reaches for it (a focus in the
// search field, the search toggle, a key, a shared ?q= link or a result's ?h=), so a
// page that is only read never downloads it, the index (27 KiB gzipped) or the worker.
// It drives Material's own search worker (Lunr, config.search) with the worker's
// messages (0 set up, 1 ready, 2 query, 3 result) and renders results in the
// theme's markup, as Material 9.8.1's bundle does.
(function () {
  var config = JSON.parse(document.getElementById("__config").textContent);
  var t = config.translations;
  var base = new URL(config.base, location);
  var feature = function (name) { return config.features.indexOf(name) >= 0; };
  var $ = function (selector, el) { return (el || document).querySelector(selector); };
  var $$ = function (selector, el) {
    return Array.prototype.slice.call((el || document).querySelectorAll(selector));
  };
  var toggle = $("[data-md-toggle=search]");
  var dialog = $("[data-md-component=search]");
  var query = $("[data-md-component=search-query]");
  var result = $("[data-md-component=search-result]");
  var meta = result.firstElementChild;
  var list = result.lastElementChild;
  var suggest = $("[data-md-component=search-suggest]");
  var tablet = matchMedia("(min-width: 60em)");
  var worker = new Worker(config.search);
  var ready = false;
  var sent = null;

  function open(value) {
    if (toggle.checked !== value) toggle.click();
  }
  function element(tag, className, html) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (html) el.innerHTML = html;
    return el;
  }
  function escape(text) {
    var el = document.createElement("span");
    el.textContent = text;
    return el.innerHTML;
  }

  function send() {
    if (!ready || query.value === sent) return;
    sent = query.value;
    worker.postMessage({ type: 2, data: sent });
  }

  // One page's matches: the page itself, its best sections, the rest folded away.
  function link(doc, parent, teaser) {
    var url = new URL(doc.location, base);
    if (feature("search.highlight"))
      url.searchParams.set("h", Object.keys(doc.terms).filter(function (term) {
        return doc.terms[term];
      }).join(" "));
    var a = element("a", "md-search-result__link");
    a.href = url;
    a.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset");
    article.setAttribute("data-md-score", doc.score.toFixed(2));
    if (parent) article.append(element("div", "md-search-result__icon md-icon"));
    article.append(element(parent ? "h1" : "h2", null, doc.title));
    if (teaser && doc.text.length) article.insertAdjacentHTML("beforeend", doc.text);
    var missing = Object.keys(doc.terms).filter(function (term) { return !doc.terms[term]; });
    if (teaser && missing.length)
      article.append(element("p", "md-search-result__terms", t["search.result.term.missing"] +
        ": " + missing.map(function (term) { return "<del>" + escape(term) + "</del>"; }).join(" ")));
    a.append(article);
    return a;
  }
  function item(docs) {
    var threshold = docs[0].score;
    docs = docs.slice();
    var parent = docs.findIndex(function (doc) {
      return String(new URL(doc.location, base)).indexOf("#") < 0;
    });
    var page = docs.splice(parent, 1)[0];
    var index = docs.findIndex(function (doc) { return doc.score < threshold; });
    if (index < 0) index = docs.length;
    var li = element("li", "md-search-result__item");
    li.append(link(page, true, parent === 0 && index === 0));
    docs.slice(0, index).forEach(function (doc) { li.append(link(doc, false, true)); });
    var more = docs.slice(index);
    if (more.length) {
      var details = element("details", "md-search-result__more");
      var summary = element("summary");
      summary.tabIndex = -1;
      summary.append(element("div", null, more.length === 1 ? t["search.result.more.one"] :
        t["search.result.more.other"].replace("#", more.length)));
      details.append(summary);
      more.forEach(function (doc) { details.append(link(doc, false, true)); });
      li.append(details);
    }
    return li;
  }
  function render(data) {
    var items = data.items;
    meta.textContent = !items.length
      ? t[query.value.length ? "search.result.none" : "search.result.placeholder"]
      : items.length === 1 ? t["search.result.one"]
      : t["search.result.other"].replace("#", items.length);
    list.replaceChildren.apply(list, items.map(item));
    if (suggest) {
      // The last word completed by the worker's suggestion, shown behind the query.
      var words = query.value.split(/([\s-]+)/);
      var word = words[words.length - 1];
      if (data.suggest && data.suggest.length && word) {
        var last = data.suggest[data.suggest.length - 1];
        if (last.indexOf(word) === 0) words[words.length - 1] = last;
      } else {
        words = [];
      }
      suggest.textContent = words.join("");
    }
  }

  // A result's link highlights the searched words on the page it opens (?h=).
  function highlight(searchConfig) {
    var terms = new URLSearchParams(location.search).get("h");
    var content = $("[data-md-component=content]");
    if (!terms || !content) return;
    var separator = new RegExp(searchConfig.separator.split("|").map(function (term) {
      return term.replace(/(\(\?[!=<][^)]+\))/g, "").length ? term : "\ufffd";
    }).join("|"), "img");
    terms = terms.replace(/[\s*+\-:~^]+/g, " ").replace(/&/g, "&amp;").trim();
    var match = new RegExp("(^|" + searchConfig.separator + "|)(" +
      terms.replace(/[|\\{}()[\]^$+*?.-]/g, "\\$&").replace(separator, "|") + ")", "img");
    var nodes = [];
    var walk = document.createNodeIterator(content, NodeFilter.SHOW_TEXT);
    for (var node = walk.nextNode(); node; node = walk.nextNode()) {
      if (!node.parentElement || !node.parentElement.offsetHeight) continue;
      var marked = escape(node.textContent)
        .replace(match, "$1<mark data-md-highlight>$2</mark>")
        .replace(/<\/mark>(\s+)<mark[^>]*>/gim, "$1");
      if (marked.length > escape(node.textContent).length) nodes.push([node, marked]);
    }
    nodes.forEach(function (pair) {
      pair[0].replaceWith.apply(pair[0], Array.prototype.slice.call(
        element("span", null, pair[1]).childNodes));
    });
  }

  worker.addEventListener("message", function (event) {
    if (event.data.type === 1) {
      ready = true;
      send();
    } else if (event.data.type === 3) {
      render(event.data.data);
    }
  });
  fetch(new URL("search/search_index.json", base))
    .then(function (response) { return response.json(); })
    .then(function (index) {
      highlight(index.config);
      worker.postMessage({
        type: 0,
        data: { config: index.config, docs: index.docs, options: { suggest: feature("search.suggest") } },
      });
    });

  query.addEventListener("input", send);
  query.addEventListener("focus", function () {
    open(true);
    send();
  });
  query.form.addEventListener("reset", function () {
    setTimeout(function () {
      query.focus();
      send();
    });
  });
  dialog.addEventListener("click", function (event) {
    if (event.target.closest("a")) open(false);
  });

  // Open, the results are a list to assistive technology; closed, nothing. On a
  // phone the page behind stops scrolling, after the dialog's slide.
  var lockTimer;
  function opened() {
    list.setAttribute("role", toggle.checked ? "list" : "presentation");
    list.hidden = !toggle.checked;
    var lock = toggle.checked && !tablet.matches;
    clearTimeout(lockTimer);
    lockTimer = setTimeout(function () {
      var body = document.body;
      if (lock && !body.hasAttribute("data-md-scrolllock")) {
        body.style.top = -scrollY + "px";
        body.setAttribute("data-md-scrolllock", "");
      } else if (!lock && body.hasAttribute("data-md-scrolllock")) {
        var y = -parseInt(body.style.top, 10);
        body.removeAttribute("data-md-scrolllock");
        body.style.top = "";
        if (y) scrollTo(0, y);
      }
    }, lock ? 400 : 100);
  }
  toggle.addEventListener("change", opened);
  opened();

  // Keys while search is open: Enter opens the best result, arrows move through the
  // results, Escape and Tab close, right arrow takes the suggestion, others type.
  addEventListener("keydown", function (event) {
    if (!toggle.checked || event.metaKey || event.ctrlKey || event.isComposing) return;
    var active = document.activeElement;
    if (active === document.body) active = null;
    switch (event.key) {
      case "Enter":
        if (active !== query) return;
        var best = null;
        $$("a.md-search-result__link", result).forEach(function (a) {
          var score = parseFloat(a.firstElementChild.getAttribute("data-md-score"));
          if (!best || score > best[1]) best = [a, score];
        });
        if (best) best[0].click();
        event.preventDefault();
        break;
      case "Escape":
      case "Tab":
        open(false);
        query.blur();
        break;
      case "ArrowUp":
      case "ArrowDown":
        if (!active) {
          query.focus();
        } else {
          var els = [query].concat($$(":not(details) > [href], summary, details[open] [href]", result));
          var i = (Math.max(0, els.indexOf(active)) + els.length +
            (event.key === "ArrowUp" ? -1 : 1)) % els.length;
          els[i].focus();
        }
        event.preventDefault();
        event.stopPropagation();
        break;
      case "ArrowRight":
        if (suggest && suggest.textContent.length && query.selectionStart === query.value.length) {
          query.value = suggest.textContent;
          send();
        }
        break;
      default:
        if (query !== active) query.focus();
    }
  });

  // A shared link (?q=) opens search with its words; closing search drops them.
  var shared = new URLSearchParams(location.search).get("q");
  if (shared !== null) {
    open(true);
    query.value = shared;
    query.focus();
    toggle.addEventListener("change", function drop() {
      if (toggle.checked) return;
      var url = new URL(location.href);
      url.searchParams.delete("q");
      history.replaceState({}, "", url);
      toggle.removeEventListener("change", drop);
    });
  }
  // The focus that loaded this script came before it could listen.
  if (document.activeElement === query) {
    open(true);
    send();
  }
})();
