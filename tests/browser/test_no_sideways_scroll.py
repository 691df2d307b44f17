"""No code or output block scrolls sideways on a laptop (1280×800): the reader sees every
line whole. Samples are written to the width of the theme's code column; output blocks wrap."""

from __future__ import annotations

from streamdocs.browser.server import pages


def test_no_code_or_output_block_scrolls_sideways(page, site_url, built_site):
    wide = []
    for path in pages(built_site):
        page.goto(site_url + path, wait_until="load")
        # every tab's content too, not only the open one
        page.add_style_tag(content=".tabbed-block { display: block !important; }")
        for block in page.evaluate(
            """() => [...document.querySelectorAll("article pre > code")]
                .filter(code => code.scrollWidth > code.clientWidth + 1)
                .map(code => {
                    const title = code.closest(".highlight, pre")
                        ?.parentElement?.querySelector(".filename")?.textContent;
                    const longest = code.textContent.split("\\n")
                        .reduce((a, b) => (b.length > a.length ? b : a), "");
                    return `${title || "a block"}: ${longest.trim().slice(0, 70)}`;
                })"""
        ):
            wide.append(f"/{path} {block}")
    assert not wide, "blocks that scroll sideways at 1280×800:\n" + "\n".join(wide)
