"""No code or output block scrolls sideways at laptop size (DESKTOP, 1350×940): the reader
sees every line whole. Samples are written to the width of the theme's code column; output
blocks wrap."""

from __future__ import annotations

from streamdocs.browser.chromium import DESKTOP


def test_no_code_or_output_block_scrolls_sideways(laptop_visits):
    assert laptop_visits, "the built site has no pages"
    unmeasured = {path: seen.status for path, seen in laptop_visits.items() if seen.status != 200}
    assert not unmeasured, f"pages not measured, their status not 200: {unmeasured}"
    wide = [
        f"/{path} {block}" for path, seen in laptop_visits.items() for block in seen.wide_blocks
    ]
    size = "{width}×{height}".format(**DESKTOP)
    assert not wide, f"blocks that scroll sideways at {size}:\n" + "\n".join(wide)
