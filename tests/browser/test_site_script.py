"""What the site's own script (docs/_theme/assets/javascripts/site.js, search.js) does in
place of the theme's bundle, and that the purged stylesheet (streamdocs/site/lighten.py)
still styles everything a page shows after the reader's clicks."""

from __future__ import annotations

import pytest

from streamdocs.browser.chromium import MOBILE
from streamdocs.paths import DOCS, page_url
from streamdocs.site import lighten

LONG_PAGE = page_url(DOCS / "complete-example.md")
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => setTimeout(done)))"


def _scroll(page, y: int) -> None:
    page.evaluate(f"scrollTo(0, {y})")
    page.evaluate(NEXT_FRAME)


def test_back_to_top_shows_when_scrolling_up_and_goes_to_the_top(page, site_url):
    page.goto(site_url + LONG_PAGE)
    # The theme fades the button out while it has `hidden` (opacity, not display).
    hidden = "document.querySelector('[data-md-component=top]').hidden"
    assert page.evaluate(hidden), "back-to-top shows before any scrolling"
    _scroll(page, 3000)
    assert page.evaluate(hidden), "back-to-top shows while scrolling down"
    _scroll(page, 2800)
    page.wait_for_function(f"!{hidden}")
    page.locator("[data-md-component=top]").click()
    page.wait_for_function("scrollY === 0")


def test_the_table_of_contents_follows_the_reader(page, site_url):
    page.goto(site_url + LONG_PAGE)
    links = page.locator(".md-sidebar--secondary a.md-nav__link")
    last = links.last.get_attribute("href")
    page.evaluate("document.body.scrollIntoView(false)")  # the bottom of the page
    page.locator(f".md-sidebar--secondary a.md-nav__link--active[href='{last}']").wait_for()
    assert page.locator(".md-sidebar--secondary a.md-nav__link--active").count() == 1


def test_the_phone_menu_opens_and_its_links_go_to_their_pages(page, site_url):
    page.set_viewport_size(MOBILE)
    page.goto(site_url)
    nav = page.locator(".md-sidebar--primary")
    assert nav.bounding_box()["x"] < 0, "the menu shows before it is opened"
    page.locator(".md-header__button[for=__drawer]").click()
    page.wait_for_function(
        "document.querySelector('.md-sidebar--primary').getBoundingClientRect().x >= 0"
    )
    nav.locator("a.md-nav__link[href='setup/']").click()
    page.wait_for_url("**/setup/")


def test_keys_go_to_the_next_and_previous_page(page, site_url):
    page.goto(site_url)
    page.keyboard.press("n")
    page.wait_for_url("**/concepts/")
    page.keyboard.press("p")
    page.wait_for_url(site_url)


def test_a_search_result_opens_its_page_with_the_words_highlighted(page, site_url):
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("overloaded")
    # A section's link carries the words it matched (a page's own link may match none).
    page.locator(".md-search-result__link[href*='?h=overloaded']").first.click()
    page.wait_for_url("**?h=overloaded*")
    page.wait_for_function("document.querySelectorAll('mark[data-md-highlight]').length > 0")


def test_a_chosen_tab_is_remembered(page, site_url):
    path = page_url(DOCS / "troubleshooting" / "errors.md")
    page.goto(site_url + path)
    labels = page.locator(".tabbed-set").first.locator(":scope > .tabbed-labels > label")
    second = labels.nth(1).inner_text().strip()
    labels.nth(1).click()
    assert page.evaluate("__md_get('__tabs')")[0] == second
    page.reload()
    chosen = page.locator(".tabbed-set").first.locator(":scope > input:checked")
    label = page.locator(f"label[for='{chosen.get_attribute('id')}']").inner_text().strip()
    assert label == second, f"/{path}: after a reload the first set shows {label!r}"


# Every element name, class, id and attribute name on the page now.
NAMES_ON_PAGE = """() => {
  const names = new Set();
  for (const el of document.querySelectorAll('*')) {
    names.add(el.localName);
    el.classList.forEach(name => names.add(name));
    if (el.id) names.add(el.id);
    for (const attribute of el.attributes) names.add(attribute.name.toLowerCase());
  }
  return [...names];
}"""


@pytest.fixture(scope="module")
def kept(built_site):
    return lighten.names_used(built_site)


def _unstyled(page, kept, state: str) -> list[str]:
    return [f"{state}: {name}" for name in page.evaluate(NAMES_ON_PAGE) if name not in kept]


def test_every_name_a_page_has_after_the_readers_clicks_kept_its_rules(page, site_url, kept):
    """The purge keeps a rule when the pages or scripts name everything it needs; a name a
    script builds from parts would lose its rules. Walk a page through what a reader does."""
    found = []
    page.goto(site_url + LONG_PAGE)
    found += _unstyled(page, kept, "loaded")
    _scroll(page, 3000)
    _scroll(page, 2800)  # back-to-top, the header's title, the table of contents
    page.locator("button[data-md-type=copy]").first.click()
    page.locator(".tabbed-set").first.locator(":scope > .tabbed-labels > label").nth(1).click()
    found += _unstyled(page, kept, "scrolled, copied, tab chosen")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("stream")
    page.locator(".md-search-result__item").first.wait_for()
    found += _unstyled(page, kept, "searching")
    page.keyboard.press("Escape")
    page.set_viewport_size(MOBILE)
    page.locator(".md-header__button[for=__drawer]").click()
    found += _unstyled(page, kept, "phone menu open")
    page.locator(".md-overlay").click(position={"x": 400, "y": 400})  # closes the menu
    page.locator("form[data-palette-toggle] label:visible").click()
    found += _unstyled(page, kept, "dark")
    assert not found, "names with no rules kept for them:\n" + "\n".join(sorted(set(found)))
