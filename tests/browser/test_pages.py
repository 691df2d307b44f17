"""The built site as a reader's browser sees it (Playwright driving the system Chromium)."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from streamdocs.browser import visit
from streamdocs.browser.chromium import DESKTOP, MOBILE
from streamdocs.browser.server import SiteServer
from streamdocs.markdown import shortcodes
from streamdocs.paths import DOCS, SNIPPETS, page_url


def test_every_page_loads_without_console_errors_or_third_party_requests(laptop_visits):
    assert laptop_visits, "the built site has no pages"
    for path, seen in laptop_visits.items():
        assert seen.status == 200, f"/{path} answered {seen.status}"
        assert not seen.foreign, (
            f"/{path} fetched from off this site (fonts, CDN scripts?): {seen.foreign}"
        )
        assert not seen.errors, f"/{path} logged console errors: {seen.errors}"


SEARCH_INDEX = "/search/search_index.json"


def _open_search_on_a_laptop(page):
    # At laptop width the search field sits in the header.
    page.locator(".md-search__input").click()


def _open_search_with_the_keyboard(page):
    page.keyboard.press("/")  # Material's shortcut; "s" and "f" do the same


def _open_search_on_a_phone(page):
    page.set_viewport_size(MOBILE)
    page.locator(".md-header__button[for=__search]").click()


@pytest.mark.parametrize(
    "open_search",
    [_open_search_on_a_laptop, _open_search_with_the_keyboard, _open_search_on_a_phone],
    ids=["laptop", "keyboard", "phone"],
)
def test_search_finds_text_stream(page, site_url, open_search):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url, wait_until="networkidle")
    # search-on-demand.js: the index is not part of a page's weight until it is wanted.
    assert not [u for u in requested if u.endswith(SEARCH_INDEX)], "index loaded before search"
    open_search(page)
    page.locator(".md-search__input").press_sequentially("text_stream")
    hit = page.locator(".md-search-result__item mark", has_text="text_stream").first
    hit.wait_for()
    assert "matching document" in page.inner_text(".md-search-result__meta")
    assert [u for u in requested if u.endswith(SEARCH_INDEX)], "search worked without its index?"


def test_a_shared_search_link_searches_on_load(page, site_url):
    page.goto(site_url + "?q=text_stream")
    page.locator(".md-search-result__item mark", has_text="text_stream").first.wait_for()


def _section(snippet: str, section: str) -> str:
    """The part of a snippet a page shows: between its markers, dedented, markers removed."""
    lines = (SNIPPETS / snippet).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if f"[start:{section}]" in line)
    end = next(i for i, line in enumerate(lines) if f"[end:{section}]" in line)
    body = [line for line in lines[start + 1 : end] if "--8<--" not in line]
    return textwrap.dedent("\n".join(body)).strip("\n")


def _first_section_include():
    """The first sample a page shows in part (`<!-- md:sample NAME part=P -->`)."""
    for md in sorted(DOCS.rglob("*.md")):
        for shown in shortcodes.samples_in(md.read_text(encoding="utf-8"), SNIPPETS):
            if shown.part:
                return md, page_url(md), shown.file, shown.part
    return None


def test_copy_button_copies_exactly_the_snippet_section(context, page, site_url):
    found = _first_section_include()
    assert found, "no page shows a sample in part (`<!-- md:sample NAME part=P -->`) to check"
    md, path, snippet, section = found
    expected = _section(snippet, section)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + path)
    block = page.locator(".highlight", has_text=expected.splitlines()[0].strip()).first
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip("\n") == expected, (
        f"the copy button on /{path} ({md.name}) copied something other than "
        f"snippets/{snippet} section `{section}`:\n{copied!r}\n!=\n{expected!r}"
    )


def _page_with(marker: str) -> str:
    for md in sorted(DOCS.rglob("*.md")):
        if marker in md.read_text(encoding="utf-8"):
            return page_url(md)
    pytest.fail(f"no page in docs/ uses {marker!r}; this test needs one")


def test_linked_content_tabs_switch_together(page, site_url):
    path = _page_with('=== "')
    page.goto(site_url + path)
    sets = page.locator(".tabbed-set")
    assert sets.count() >= 1, f"/{path} has no content tabs"
    # a set's own labels and radios (`:scope >`): a tab may hold a set of its own, as the
    # complete example's outputs hold Python and TypeScript tabs
    labels = sets.first.locator(":scope > .tabbed-labels > label")
    assert labels.count() >= 2, f"/{path}: the first tab set has fewer than two tabs"
    second = labels.nth(1).inner_text().strip()
    labels.nth(1).click()
    # content.tabs.link: every set on the page with a tab of that name selects it too.
    linked = page.locator(".tabbed-set").filter(
        has=page.locator(":scope > .tabbed-labels > label", has_text=second)
    )
    for i in range(linked.count()):
        checked = linked.nth(i).locator(":scope > input:checked")
        label_for = checked.get_attribute("id")
        active = linked.nth(i).locator(f"label[for='{label_for}']").inner_text().strip()
        assert active == second, f"/{path}: tab set {i} shows {active!r} after choosing {second!r}"


def test_diagrams_are_visible(page, site_url):
    path = _page_with("<!-- md:event-flow")
    page.goto(site_url + path)
    diagrams = page.locator("svg.event-flow")
    assert diagrams.count() >= 1, f"/{path} has no event-flow diagram"
    for i in range(diagrams.count()):
        box = diagrams.nth(i).bounding_box()
        assert diagrams.nth(i).is_visible() and box["height"] > 50, f"/{path}: diagram {i} {box}"
    path = _page_with("assets/when-to-stream.svg")
    page.goto(site_url + path)
    image = page.locator("img[src$='when-to-stream.svg']")
    image.scroll_into_view_if_needed()
    width = page.evaluate("img => img.naturalWidth", image.element_handle())
    assert width > 0, f"/{path}: the decision diagram did not load"


# The light/dark button the reader sees (docs/_theme/partials/palette.html).
PALETTE_TOGGLE = "form[data-palette-toggle] label:visible"


def _wait_for_scheme(page, scheme: str) -> None:
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")


def test_dark_mode_toggle_switches_the_scheme(page, site_url):
    page.goto(site_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator(PALETTE_TOGGLE).first.click()
    _wait_for_scheme(page, "slate")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light, f"the background stayed {light} after switching to dark"


def test_the_chosen_scheme_follows_the_reader_to_other_pages(page, site_url):
    """The toggle is ours (partials/palette.html); the theme's own script applies what it stores."""
    page.goto(site_url)
    page.locator(PALETTE_TOGGLE).first.click()
    _wait_for_scheme(page, "slate")
    page.locator(".md-content a[href='concepts/']").first.click()  # a link to another page
    page.wait_for_function(
        "document.querySelector('.md-content h1')?.textContent.startsWith('Concepts')"
    )
    _assert_dark_with_a_working_toggle(page)
    page.goto(site_url + "setup/")  # a full load
    _assert_dark_with_a_working_toggle(page)


def _assert_dark_with_a_working_toggle(page):
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert page.locator("meta[name=color-scheme]").get_attribute("content") == "dark"
    toggle = page.locator(PALETTE_TOGGLE)
    assert toggle.get_attribute("title") == "Switch to light mode", (
        "the visible toggle should offer the scheme the reader is not in"
    )
    toggle.click()
    _wait_for_scheme(page, "default")
    page.locator(PALETTE_TOGGLE).click()
    _wait_for_scheme(page, "slate")


def test_the_toggle_still_switches_after_going_back(page, site_url):
    """The browser restores a form's radios on Back; the visible toggle must still switch."""
    page.goto(site_url + "versions/")
    page.goto(site_url + "setup/")
    page.locator(PALETTE_TOGGLE).click()
    _wait_for_scheme(page, "slate")
    page.go_back()
    page.wait_for_url("**/versions/")
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator(PALETTE_TOGGLE).click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== '{before}'")


def test_stored_colours_from_an_older_build_are_replaced(page, site_url):
    page.goto(site_url)
    page.evaluate(
        """__md_set("__palette", {index: 1, color: {media: "(prefers-color-scheme: dark)",
            scheme: "slate", primary: "indigo", accent: "indigo"}})"""
    )
    page.reload()
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "slate", "the stored choice was lost"
    assert body.get_attribute("data-md-color-primary") == "deep-orange", (
        "a stored colour that mkdocs.yml no longer names was applied"
    )


def test_a_system_dark_preference_is_followed_until_the_reader_chooses(browser, site_url):
    context = browser.new_context(color_scheme="dark", viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(site_url)
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        page.emulate_media(color_scheme="light")
        _wait_for_scheme(page, "default")
        page.locator("form[data-palette-toggle] input:checked").focus()
        page.keyboard.press("Enter")
        _wait_for_scheme(page, "slate")
        for scheme in ("dark", "light"):  # the system flips twice
            page.emulate_media(color_scheme=scheme)
            # Media-query listeners run in the next rendering step: let one pass.
            page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate", (
            "a change of system preference overrode the reader's choice"
        )
        page.reload()  # the system still prefers light
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate", (
            "a choice made with the toggle must outlast the system preference"
        )
    finally:
        context.close()


def test_no_nav_link_is_covered_on_a_short_page(page, site_url):
    """On a laptop, a page shorter than the nav made the sidebar scroll its first
    links under the sidebar's sticky title (overrides.css gives main a screen's height).
    A nav taller than the screen scrolls: links outside its visible part are reachable by
    scrolling it; every link inside it must be on top, not covered."""
    seen = visit.visit(page, site_url + "versions/")  # the shortest page
    assert seen.sidebar_positioned, "/versions/: the theme never positioned the sidebar"
    covered = [
        f"{link['text']!r} under {link['covered']}" for link in seen.nav_links if link["covered"]
    ]
    assert not covered, f"nav links covered on /versions/ at laptop size: {covered}"


def test_nav_links_are_uncovered_and_spaced_on_a_laptop(laptop_visits):
    """WCAG 2.5.8 (Lighthouse: target-size) at Lighthouse's desktop size. The nav is taller
    than the screen, and the theme scrolls it to centre the current page: no link in its
    visible part may be even partly under another element (the sidebar's title was sticky),
    and links under 24 px tall need 24 px between their middles."""
    found = []
    for path, seen in laptop_visits.items():
        assert seen.status == 200, f"/{path} answered {seen.status}: its nav was not measured"
        assert seen.sidebar_positioned, f"/{path}: the theme never positioned the sidebar"
        links = seen.nav_links
        assert len(links) > 10, f"/{path}: only {len(links)} nav links in view at laptop size"
        for link in links:
            if link["covered"]:
                found.append(f"/{path}: {link['text']!r} partly under {link['covered']}")
        for above, below in zip(links, links[1:], strict=False):
            gap = below["middle"] - above["middle"]
            if min(above["height"], below["height"]) < 24 and gap < 24:
                found.append(f"/{path}: {above['text']!r}, {below['text']!r} {gap:.1f} px apart")
    assert not found, "nav links too small to hit at {width}x{height}:\n".format(**DESKTOP) + (
        "\n".join(found)
    )


def test_a_script_failing_at_start_up_is_reported_as_its_error(page, built_site, tmp_path):
    """The shared visit (laptop_visits) must show the error, not time out waiting for the
    sidebar the failed script never positions."""
    broken = shutil.copytree(built_site, tmp_path / "site")
    [script] = (broken / "assets" / "javascripts").glob("site.*.min.js")
    script.write_text('throw new Error("planted at start-up");\n' + script.read_text())
    with SiteServer(broken) as server:
        seen = visit.visit(visit.watched(page, server.url), server.url + "setup/")
    assert seen.status == 200 and not seen.sidebar_positioned
    assert any("planted at start-up" in error for error in seen.errors), seen.errors


def test_unknown_url_shows_the_404_page(page, site_url):
    response = page.goto(site_url + "no/such/page/")
    assert response.status == 404
    assert "404" in page.inner_text("h1")
    # Styled, not bare HTML: the theme's stylesheet loaded on a nested URL too.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in {
        "sticky",
        "fixed",
    }


def test_theme_accessibility_fixes_apply(page, site_url):
    """The fixes `make audit` measured (docs/_theme): named search dialog, code toolbars
    that are not landmarks, underlined text links, readable code comments."""
    path = _page_with("<!-- md:sample complete_example")
    page.goto(site_url + path)
    assert page.get_attribute(".md-search", "aria-label"), "search dialog has no name"
    page.wait_for_function("document.querySelectorAll('.md-code__nav').length > 0")
    page.wait_for_function(
        "[...document.querySelectorAll('.md-code__nav')].every(n => n.getAttribute('role'))"
    )
    comment = page.evaluate(
        "getComputedStyle(document.querySelector('.highlight .c1, .highlight .sd')).color"
    )
    # #5c5c5c from overrides.css; the stock theme's 54% black is 4.3:1 on code grey.
    assert comment == "rgb(92, 92, 92)", f"/{path}: code comments are {comment}"
    page.goto(site_url)
    underline = page.evaluate(
        "getComputedStyle(document.querySelector('.md-content p a')).textDecorationLine"
    )
    assert "underline" in underline, "/: links in running text are not underlined"
