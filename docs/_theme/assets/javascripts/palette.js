// The light/dark toggle, in place of the theme bundle's palette component (see
// partials/palette.html for why). It keeps the theme's contract: the reader's
// choice is stored under "__palette" in the theme's format, and the theme's own
// script, which runs right after this one, applies what is stored to <body>.
// Runs while the header is parsed, so every page is drawn in the right scheme.
// It handles options with a media query each, as in mkdocs.yml; not the theme's
// automatic "(prefers-color-scheme)" option (tests/test_theme_overrides.py).
(function () {
  var form = document.querySelector("[data-palette-toggle]");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
  var current;
  var colorScheme = document.createElement("meta");
  colorScheme.name = "color-scheme";
  var themeColor = document.createElement("meta");
  themeColor.name = "theme-color"; // a phone tints its browser bar with the header's colour
  document.head.append(colorScheme, themeColor);
  inputs.forEach(function (input) {
    // Otherwise Back restores the radios' old state after this script has run,
    // and the visible button then selects the option that is already checked.
    input.autocomplete = "off";
  });

  function colorsOf(index) {
    var color = {};
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      color[key] = inputs[index].getAttribute("data-md-color-" + key);
    });
    return color;
  }

  function store(index) {
    __md_set("__palette", { index: index, color: colorsOf(index) });
  }

  function apply(index) {
    var color = colorsOf(index);
    for (var key in color) document.body.setAttribute("data-md-color-" + key, color[key]);
    inputs.forEach(function (input, i) {
      input.checked = i === index;
      // Each option's label is the button that switches to the next option.
      if (input.nextElementSibling) input.nextElementSibling.hidden = i !== index;
    });
    colorScheme.content = color.scheme === "slate" ? "dark" : "light";
    current = index;
  }

  function tint() {
    themeColor.content = getComputedStyle(document.querySelector(".md-header")).backgroundColor;
  }

  // After load, as the theme does: no colour transitions while the whole page switches.
  function switchTo(index) {
    document.body.setAttribute("data-md-color-switching", "");
    apply(index);
    setTimeout(function () {
      document.body.removeAttribute("data-md-color-switching");
      tint();
    });
  }

  function systemChoice() {
    return Math.max(0, inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    }));
  }

  var stored = __md_get("__palette");
  var index = stored && inputs[stored.index] ? stored.index : systemChoice();
  // Store the option's colours as mkdocs.yml gives them now: a returning reader
  // may have older ones stored, and the theme's script applies what is stored.
  if (stored) store(index);
  apply(index);

  // Until the reader chooses, follow the system.
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
    if (!__md_get("__palette")) switchTo(systemChoice());
  });
  form.addEventListener("change", function (event) {
    var index = inputs.indexOf(event.target);
    store(index);
    switchTo(index);
  });
  // A label is not a button to the keyboard: Enter on the focused option switches, as in the theme.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var next = inputs[(current + 1) % inputs.length];
    next.click();
    next.focus();
  });
  // Reading a style makes the browser bring all styles up to date: wait until it has.
  addEventListener("load", function () { setTimeout(tint); });
})();
