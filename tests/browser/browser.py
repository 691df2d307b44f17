"""One way to start the system Chromium for tests, audit and screenshots.

No tool downloads a browser here: Playwright drives Debian's /usr/bin/chromium
(`apt-get install chromium`; .ci/run installs it on a fresh machine).
"""

from __future__ import annotations

import os
import shutil

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
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise RuntimeError(
            f"No Chromium at {path}. Install Debian's: `apt-get install -y chromium` "
            "(.ci/run does this), or set CHROME_PATH."
        )
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
