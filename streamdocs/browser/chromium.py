"""One way to start the system Chromium for tests, audit and screenshots.

No tool downloads a browser here: Playwright drives the system Chromium, found
as `make test` finds or installs it (streamdocs/tools.py): CHROME_PATH, then
PATH, then Debian's package.
"""

from __future__ import annotations

from streamdocs import tools

# Chromium phones home on start-up unless told not to; a closed network
# refuses those connections, so every background service is switched off.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The two sizes every page is checked at: a common phone, a laptop.
MOBILE = {"width": 412, "height": 823}
DESKTOP = {"width": 1350, "height": 940}


def chromium_path() -> str:
    path = tools.find("chromium")
    if path is None:
        raise tools.Missing(tools.hint([tools.TOOLS["chromium"]]))
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
