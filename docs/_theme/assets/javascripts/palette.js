// The light/dark toggle, in place of the theme bundle's palette component (see
// partials/palette.html for why). It keeps the theme's contract: the chosen
// option is stored under "__palette" in the theme's format, which the theme's
// own script in <head> applies to <body> before the first paint on every page.
// Runs while the header is parsed, so a first visit's system preference is set
// before anything is drawn.
(function () {
  var form = document.querySelector("[data-palette-toggle]");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
  var colorScheme = document.createElement("meta");
  colorScheme.name = "color-scheme";
  var themeColor = document.createElement("meta");
  themeColor.name = "theme-color"; // a phone tints its browser bar with the header's colour
  document.head.append(colorScheme, themeColor);

  function tint() {
    var header = document.querySelector(".md-header");
    themeColor.content = getComputedStyle(header).backgroundColor;
  }

  function colorsOf(input) {
    var color = {};
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      color[key] = input.getAttribute("data-md-color-" + key);
    });
    return color;
  }

  function show(index, color) {
    inputs.forEach(function (input, i) {
      input.checked = i === index;
      // Each option's label is the button that switches to the next option.
      if (input.nextElementSibling) input.nextElementSibling.hidden = i !== index;
    });
    colorScheme.content = color.scheme === "slate" ? "dark" : "light";
  }

  function apply(index) {
    var color = colorsOf(inputs[index]);
    for (var key in color) document.body.setAttribute("data-md-color-" + key, color[key]);
    show(index, color);
    return color;
  }

  var stored = __md_get("__palette");
  if (stored && inputs[stored.index]) {
    show(stored.index, colorsOf(inputs[stored.index])); // <body> already has its colours
  } else {
    // No choice made yet: follow the system, and keep following it.
    var matching = function () {
      return Math.max(0, inputs.findIndex(function (input) {
        return matchMedia(input.getAttribute("data-md-color-media")).matches;
      }));
    };
    apply(matching());
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
      if (!__md_get("__palette")) { apply(matching()); tint(); }
    });
  }

  form.addEventListener("change", function (event) {
    var index = inputs.indexOf(event.target);
    // As the theme does: no colour transitions while the whole page switches.
    document.body.setAttribute("data-md-color-switching", "");
    __md_set("__palette", { index: index, color: apply(index) });
    setTimeout(function () {
      document.body.removeAttribute("data-md-color-switching");
      tint();
    });
  });
  // Reading a style forces the browser to bring all styles up to date: wait until it has.
  addEventListener("load", function () { setTimeout(tint); });
  // A label is not a button to the keyboard: Enter on the focused option switches, as in the theme.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var current = inputs.findIndex(function (input) { return input.checked; });
    var next = inputs[(current + 1) % inputs.length];
    next.click();
    next.focus();
  });
})();
