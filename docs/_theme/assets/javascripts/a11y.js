// Accessibility fixes to elements Material's own JavaScript creates after load,
// so no template override can reach them. Inlined by docs/_theme/main.html.
(function () {
  function fix() {
    // The copy-button bar of every code block is a <nav>: many unnamed landmarks
    // (axe: landmark-unique). It is a toolbar, not navigation.
    document.querySelectorAll(".md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    // A table wider than a phone scrolls sideways; keyboard users must be able
    // to focus it to scroll it (axe: scrollable-region-focusable).
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) wrap.setAttribute("tabindex", "0");
    });
    // Code annotation markers are unnamed buttons otherwise.
    document.querySelectorAll(".md-annotation__index:not([aria-label])").forEach(function (marker) {
      marker.setAttribute("aria-label", "Annotation " + marker.textContent.trim());
    });
  }
  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; fix(); });
  }).observe(document.body, { childList: true, subtree: true });
  fix();
})();
