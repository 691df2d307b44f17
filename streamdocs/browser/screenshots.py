"""`make screenshots`: every page at phone and laptop width, light and dark, as PNGs.

Written to screenshots/ (git-ignored) as <page>--<scheme>-<width>.png; the
list is printed. Full-page shots, so the whole page can be read.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from streamdocs.browser.chromium import DESKTOP, MOBILE, launch
from streamdocs.browser.server import SiteServer, pages
from streamdocs.paths import ROOT
from streamdocs.site import build as site

OUT = ROOT / "screenshots"


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        try:
            site.built(Path(scratch))
        except RuntimeError as failed:  # mkdocs' words, without a traceback
            raise SystemExit(str(failed)) from None
        paths = [p for p in pages(Path(scratch)) if not sys.argv[1:] or p in sys.argv[1:]]
        with SiteServer(Path(scratch)) as server, sync_playwright() as playwright:
            browser = launch(playwright)
            for scheme in ("light", "dark"):
                for viewport in (MOBILE, DESKTOP):
                    context = browser.new_context(color_scheme=scheme, viewport=viewport)
                    page = context.new_page()
                    for path in [*paths, "404"]:
                        page.goto(server.url + path, wait_until="load")
                        name = path.strip("/").replace("/", "-") or "home"
                        png = OUT / f"{name}--{scheme}-{viewport['width']}.png"
                        page.screenshot(path=png, full_page=True)
                        written.append(png)
                    context.close()
            browser.close()
    for png in written:
        print(png.relative_to(ROOT))
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
