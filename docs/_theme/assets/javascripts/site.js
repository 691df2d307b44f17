// The site's own script, in place of Material's bundle (114 KB; 34 KiB gzipped on
// every page, most of it features this site does not use: instant loading, tooltips,
// annotations, versions, consent). It does what the site's pages need of it, the way
// Material 9.8.1's bundle does (same markup, same classes, same stored "__tabs"):
// sidebars sized to the screen and the nav scrolled to this page, the table of
// contents following the reader, copy buttons on code, linked content tabs, wide
// tables that scroll, the header's title and shadow, back-to-top, keyboard
// shortcuts. Search lives in search.js, loaded only when the reader reaches for it.
// Loaded by docs/_theme/main.html (MkDocs builds; Zensical keeps its own bundle).
(function () {
  var config = JSON.parse(document.getElementById("__config").textContent);
  var features = config.features;
  var t = config.translations;
  var $ = function (selector, el) { return (el || document).querySelector(selector); };
  var $$ = function (selector, el) {
    return Array.prototype.slice.call((el || document).querySelectorAll(selector));
  };
  var script = document.currentScript;
  var drawer = $("[data-md-toggle=drawer]");
  var search = $("[data-md-toggle=search]");
  var header = $("[data-md-component=header]");
  var main = $("[data-md-component=main]");
  var content = $("[data-md-component=content]");
  var top = $("[data-md-component=top]");
  var heading = $(".md-content h1");
  var title = $("[data-md-component=header-title]");
  var dialog = $("[data-md-component=dialog]");
  document.documentElement.classList.replace("no-js", "js");

  function setToggle(toggle, value) {
    if (toggle.checked !== value) toggle.click();
  }

  // Search: its script, index and worker load the first time the reader reaches for it.
  var searchLoaded = false;
  function loadSearch() {
    if (searchLoaded || !script.dataset.search) return;
    searchLoaded = true;
    var tag = document.createElement("script");
    tag.src = script.dataset.search;
    document.head.append(tag);
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.closest("[data-md-component=search]")) loadSearch();
  });
  search.addEventListener("change", loadSearch);
  // iOS brings up the keyboard only for a focus inside the reader's own tap.
  $$("header [for=__search]").forEach(function (label) {
    label.addEventListener("click", function () { $(".md-search__input").focus(); });
  });
  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) loadSearch(); // a shared search, a result's highlight

  // Wide tables scroll inside their own box, as the theme wraps them.
  $$("table:not([class])", content).forEach(function (table) {
    var wrap = document.createElement("div");
    var inner = document.createElement("div");
    wrap.className = "md-typeset__scrollwrap";
    inner.className = "md-typeset__table";
    table.replaceWith(wrap);
    inner.append(table);
    wrap.append(inner);
  });

  // A copy button on each code block. Its bar is no landmark (axe: landmark-unique).
  var codes = $$("pre > code", content);
  if (features.indexOf("content.code.copy") >= 0) {
    codes.forEach(function (code) {
      if (code.closest(".no-copy")) return;
      var bar = document.createElement("nav");
      var button = document.createElement("button");
      bar.className = "md-code__nav";
      bar.setAttribute("role", "none");
      button.className = "md-code__button";
      button.title = t["clipboard.copy"];
      button.setAttribute("data-md-type", "copy");
      bar.append(button);
      code.parentElement.insertBefore(bar, code);
    });
  }
  var timer;
  function alert(message) {
    $(".md-typeset", dialog).textContent = message;
    dialog.classList.add("md-dialog--active");
    clearTimeout(timer);
    timer = setTimeout(function () { dialog.classList.remove("md-dialog--active"); }, 2000);
  }
  function copy(text) {
    if (navigator.clipboard && isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    var copied = document.execCommand("copy");
    area.remove();
    return copied ? Promise.resolve() : Promise.reject();
  }
  content.addEventListener("click", function (event) {
    var button = event.target.closest("[data-md-type=copy]");
    if (!button) return;
    var code = button.parentElement.nextElementSibling;
    // The theme's stylesheet hides line numbers while this is set.
    code.setAttribute("data-md-copying", "");
    var text = code.innerText.trimEnd();
    code.removeAttribute("data-md-copying");
    copy(text).then(function () {
      button.focus();
      alert(t["clipboard.copied"]);
    }, function () {});
  });

  // Content tabs: the line under the chosen tab, and (content.tabs.link) every set
  // with a tab of the same name switches with it, remembered for other pages.
  var linked = features.indexOf("content.tabs.link") >= 0;
  var switching = false;
  function labelOf(input) { return $("label[for='" + input.id + "']"); }
  function indicate(set) {
    var input = $(":scope > input:checked", set);
    if (!input) return;
    var label = labelOf(input);
    var labels = label.parentElement;
    set.style.setProperty("--md-indicator-x", label.offsetLeft + "px");
    set.style.setProperty("--md-indicator-width", label.offsetWidth + "px");
    if (label.offsetLeft < labels.scrollLeft ||
        label.offsetLeft + label.offsetWidth > labels.scrollLeft + labels.offsetWidth)
      labels.scrollTo({ left: Math.max(0, label.offsetLeft - 16), behavior: "smooth" });
  }
  var sets = $$(".tabbed-set[data-tabs]");
  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { indicate(entry.target); });
  });
  sets.forEach(function (set) { resized.observe(set); });
  document.addEventListener("change", function (event) {
    var set = event.target.parentElement;
    if (sets.indexOf(set) < 0) return;
    indicate(set);
    if (!linked || switching) return;
    var tab = labelOf(event.target).textContent.trim();
    var before = set.getBoundingClientRect().top;
    switching = true;
    sets.forEach(function (other) {
      if (other === set) return;
      $$(":scope > input", other).some(function (input) {
        if (labelOf(input).textContent.trim() !== tab) return false;
        if (!input.checked) input.click();
        return true;
      });
    });
    switching = false;
    // Keep the set the reader clicked where it was; sets above it may change height.
    scrollBy(0, set.getBoundingClientRect().top - before);
    var tabs = __md_get("__tabs") || [];
    __md_set("__tabs", [tab].concat(tabs.filter(function (other) { return other !== tab; })));
  });

  // A link to a place inside a closed <details> or an unchosen tab opens it.
  function reveal() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    if (target.name && target.name.indexOf("__tabbed_") === 0) target.click();
    var details = target.closest("details:not([open])");
    if (details) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  reveal();
  addEventListener("hashchange", function () {
    reveal();
    if (top) top.hidden = true;
    setTimeout(function () {
      setToggle(drawer, false);
      setToggle(search, false);
    }, 125);
  });
  var opened = [];
  addEventListener("beforeprint", function () {
    opened = $$("details:not([open])", content);
    opened.forEach(function (details) { details.open = true; });
  });
  addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
  });

  // A section label in the phone's nav says whether its section is open.
  document.addEventListener("change", function (event) {
    var label = event.target.id && $("label[for='" + event.target.id + "'][id]");
    var nav = label && $("[aria-labelledby='" + label.id + "']");
    if (nav) nav.setAttribute("aria-expanded", String(event.target.checked));
  });

  // Keyboard: / s f search, p , n . previous and next page, Enter opens a nav section.
  function typing(el, key) {
    if (el instanceof HTMLInputElement) return el.type !== "radio" || /^Arrow/.test(key);
    return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ||
      el.isContentEditable;
  }
  addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.isComposing || search.checked) return;
    var active = document.activeElement;
    if (active && typing(active, event.key)) return;
    var link;
    switch (event.key) {
      case "f": case "s": case "/":
        var query = $(".md-search__input");
        query.focus();
        query.select();
        event.preventDefault();
        break;
      case "p": case ",":
        link = $("link[rel=prev]");
        break;
      case "n": case ".":
        link = $("link[rel=next]");
        break;
      case "Enter":
        if (active instanceof HTMLLabelElement) active.click();
    }
    if (link) location.href = link.href;
  });

  // Layout that follows scrolling: sidebars as tall as the main area in view (the
  // navigation from 76.25em, the table of contents from 60em, as the theme does), the
  // header's shadow and title, the back-to-top button, the table of contents' place.
  var screen = matchMedia("(min-width: 76.25em)");
  var tablet = matchMedia("(min-width: 60em)");
  var sidebars = $$("[data-md-component=sidebar]").map(function (el) {
    var inner = $(".md-sidebar__scrollwrap", el);
    var grid = el.closest(".md-grid");
    return {
      el: el, inner: inner, offset: inner.offsetTop,
      adjust: grid.offsetTop - grid.parentElement.offsetTop,
      media: el.getAttribute("data-md-type") === "navigation" ? screen : tablet,
    };
  });
  var tocs = $$("[data-md-component=toc]").map(function (toc) {
    return $$(".md-nav__link", toc).map(function (anchor) {
      return { anchor: anchor, target: document.getElementById(decodeURIComponent(anchor.hash.slice(1))) };
    }).filter(function (entry) { return entry.target; });
  });
  var follow = features.indexOf("toc.follow") >= 0;
  var lastY = scrollY;
  var first = true;
  var active = [];

  function pageOffset(el) {
    var offset = el.offsetTop;
    while (!offset && el.parentElement) { el = el.parentElement; offset = el.offsetTop; }
    for (var parent = el.offsetParent; parent; parent = parent.offsetParent) offset += parent.offsetTop;
    return offset;
  }
  function measure() {
    tocs.forEach(function (entries) {
      entries.forEach(function (entry) { entry.offset = pageOffset(entry.target); });
    });
  }

  function scrollIntoContainer(item, smooth) {
    var container = item.closest(".md-sidebar__scrollwrap");
    if (!container) return;
    container.scrollTo({
      top: item.offsetTop - container.offsetTop - container.offsetHeight / 2,
      behavior: smooth ? "smooth" : "auto",
    });
  }

  function update() {
    var y = scrollY;
    var height = innerHeight;
    var headerHeight = header.offsetHeight;
    var mainTop = main.offsetTop;
    var mainBottom = mainTop + main.offsetHeight;
    var visible = Math.max(0, height - Math.max(0, mainTop - y, headerHeight) -
      Math.max(0, height + y - mainBottom));
    var offset = mainTop - headerHeight;
    var scrolled = offset <= y;

    sidebars.forEach(function (bar) {
      if (!bar.media.matches) {
        bar.inner.style.height = bar.el.style.top = "";
        return;
      }
      var size = visible + Math.min(bar.adjust, Math.max(0, y - offset)) - bar.adjust;
      bar.inner.style.height = size - 2 * bar.offset + "px";
      bar.el.style.top = headerHeight + "px";
    });
    if (first) {
      $$(".md-sidebar .md-nav__link--active[href]").forEach(function (item) {
        if (item.clientHeight) scrollIntoContainer(item, false);
      });
    }

    header.classList.toggle("md-header--shadow", scrolled);
    if (heading && title) {
      var box = heading.getBoundingClientRect();
      title.classList.toggle("md-header__title--active", box.height > 0 && box.bottom <= headerHeight);
    }
    if (top) {
      var hidden = !(scrolled && lastY > y && y > 0);
      if (!first && top.hidden !== hidden) {
        top.hidden = hidden;
        if (hidden) { top.setAttribute("tabindex", "-1"); top.blur(); } else top.removeAttribute("tabindex");
      }
      top.style.top = headerHeight + 16 + "px";
    }

    var grid = main.firstElementChild;
    var adjust = headerHeight + 0.8 * (grid.offsetTop - main.offsetTop);
    var bottom = y + height >= Math.floor(document.body.offsetHeight);
    tocs.forEach(function (entries, i) {
      var passed = entries.filter(function (entry) { return bottom || entry.offset - adjust < y; });
      var current = passed.length ? passed[passed.length - 1].anchor : null;
      entries.forEach(function (entry) {
        entry.anchor.classList.toggle("md-nav__link--passed", passed.indexOf(entry) >= 0);
        entry.anchor.classList.toggle("md-nav__link--active", entry.anchor === current);
      });
      if (follow && current && current !== active[i] && current.offsetHeight)
        scrollIntoContainer(current, !first);
      active[i] = current;
    });
    lastY = y;
    first = false;
  }

  var queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; update(); });
  }
  addEventListener("scroll", schedule, { passive: true });
  addEventListener("resize", schedule);
  screen.addEventListener("change", schedule);
  tablet.addEventListener("change", schedule);
  new ResizeObserver(function () { measure(); schedule(); }).observe(document.body);

  // A block that scrolls sideways (code, a wide table, a phone's row of tabs) must
  // take keyboard focus to be scrolled (axe: scrollable-region-focusable). Read every
  // width first, then write.
  function focusable() {
    var blocks = codes.concat($$(".md-typeset__scrollwrap, .tabbed-labels", content));
    blocks.map(function (block) { return block.scrollWidth > block.clientWidth; })
      .forEach(function (scrolls, i) {
        if (scrolls) blocks[i].setAttribute("tabindex", "0");
        else blocks[i].removeAttribute("tabindex");
      });
  }
  var widthTimer;
  addEventListener("resize", function () {
    clearTimeout(widthTimer);
    widthTimer = setTimeout(focusable, 100);
  });
  focusable();
  measure();
  update();

  if (top) top.addEventListener("click", function (event) {
    event.preventDefault();
    scrollTo({ top: 0 });
  });
})();
