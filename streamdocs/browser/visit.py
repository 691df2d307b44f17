"""One visit to a built page, measuring what the browser tests check on every page
(tests/browser: loads cleanly, nav links uncovered and spaced, no block scrolls sideways).
The tests visit each page once and read these figures: a page load in Chromium costs
~0.2 s of CPU, and a sweep of every page for each check loaded each page three times."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Every primary-nav link (partly) in the sidebar's visible part: the points on it that
# are visible (top, middle, bottom, clipped to the scroll area) and its vertical middle.
NAV_LINKS_IN_VIEW = """() => {
  const wrap = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap')
    .getBoundingClientRect();
  return [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
    .filter(link => link.checkVisibility({visibilityProperty: true}))
    .map(link => [link, link.getBoundingClientRect()])
    .filter(([, box]) => box.bottom > wrap.top + 1 && box.top < wrap.bottom - 1)
    .map(([link, box]) => {
      const x = box.x + box.width / 2;
      const top = Math.max(box.top, wrap.top) + 1, bottom = Math.min(box.bottom, wrap.bottom) - 1;
      const covered = [top, (top + bottom) / 2, bottom]
        .map(y => document.elementFromPoint(x, y))
        .filter(hit => !link.contains(hit))
        .map(hit => hit ? hit.className || hit.tagName : "nothing");
      return {text: link.textContent.trim(), middle: box.top + box.height / 2,
              height: box.height, covered};
    });
}"""

# Code and output blocks wider than their box, every tab's content shown (not only the
# open one): a title for each and its longest line.
WIDE_BLOCKS = """() => [...document.querySelectorAll("article pre > code")]
    .filter(code => code.scrollWidth > code.clientWidth + 1)
    .map(code => {
        const title = code.closest(".highlight, pre")
            ?.parentElement?.querySelector(".filename")?.textContent;
        const longest = code.textContent.split("\\n")
            .reduce((a, b) => (b.length > a.length ? b : a), "");
        return `${title || "a block"}: ${longest.trim().slice(0, 70)}`;
    })"""


class Problems:
    """Console errors, uncaught exceptions and off-machine requests a page caused."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self._request(r.url, base))

    def _request(self, url: str, base: str) -> None:
        if not url.startswith((base, "data:", "blob:")):
            self.foreign.append(url)


def watched(page, base: str):
    """`page`, its console errors and off-site requests kept in `page.problems`, and a
    10 s limit on each of its waits."""
    page.problems = Problems(page, base)
    page.set_default_timeout(10_000)
    return page


@dataclass
class Visit:
    """What one page showed: its status, what it logged or fetched from elsewhere, whether
    the theme's script positioned the sidebar (the nav is measured only then), its nav
    links in view (NAV_LINKS_IN_VIEW) and its blocks that scroll sideways."""

    status: int
    sidebar_positioned: bool = False
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    nav_links: list[dict] = field(default_factory=list)
    wide_blocks: list[str] = field(default_factory=list)


def visit(page, url: str) -> Visit:
    """Load `url` in `page` (whose `problems` is a Problems) and measure it."""
    page.problems.errors.clear()
    page.problems.foreign.clear()
    response = page.goto(url, wait_until="load")
    if response.status != 200:
        return Visit(response.status)
    # The theme positions the sidebar, and scrolls the nav to the current page, at start-up;
    # a script that failed never does, and its console error is what the tests should show.
    try:
        page.wait_for_function(
            "document.querySelector('.md-sidebar--primary').style.top", timeout=2_000
        )
        positioned = True
        page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
        nav_links = page.evaluate(NAV_LINKS_IN_VIEW)
    except PlaywrightTimeout:
        positioned, nav_links = False, []
    page.wait_for_timeout(50)  # let deferred scripts log what they would
    page.add_style_tag(content=".tabbed-block { display: block !important; }")
    wide_blocks = page.evaluate(WIDE_BLOCKS)
    return Visit(
        response.status,
        positioned,
        list(page.problems.errors),
        list(page.problems.foreign),
        nav_links,
        wide_blocks,
    )
