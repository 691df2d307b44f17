// Material requests the whole search index (about 27 KiB gzipped) as every page
// loads, though most visits never search: a third of a page's weight on a phone
// (`make audit`). Hold that one request until the reader reaches for search.
// Inlined by docs/_theme/main.html, before the theme's bundle runs; the bundle
// fetches with XMLHttpRequest, so only that is wrapped. If a theme upgrade
// changes the index's URL, nothing is held and search loads eagerly, as stock.
// The index is search/search_index.json under MkDocs, search.json under Zensical.
(function () {
  var INDEX = /\/search(\/search_index)?\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = false;

  XMLHttpRequest.prototype.open = function (method, url) {
    this.isSearchIndex = INDEX.test(new URL(String(url), location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.isSearchIndex && !wanted) {
      held.push([this, arguments]);
      return;
    }
    return send.apply(this, arguments);
  };

  function release() {
    if (wanted) return;
    wanted = true;
    held.forEach(function (request) { send.apply(request[0], request[1]); });
    held = [];
  }

  // Every way into search ends with focus in it (the header button, the
  // "/", "s" and "f" keys) or toggles its checkbox (the phone layout).
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("[data-md-component=search]")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search") release();
  });
  // A shared search link (?q=...) opens search as the page loads.
  if (new URLSearchParams(location.search).has("q")) release();
})();
