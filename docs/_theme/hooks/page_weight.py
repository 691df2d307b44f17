"""Build hook: drop the API reference's stylesheet from pages that show no API reference.

mkdocstrings adds assets/_mkdocstrings.css to every page; only pages it
rendered (`class="doc doc-...`) use it. Each stylesheet in <head> blocks the
first paint, which costs most on a slow phone (`make audit`, mobile).
"""

from __future__ import annotations

import re

LINK = re.compile(r'\s*<link rel="stylesheet" href="[^"]*assets/_mkdocstrings\.css">')


def on_post_page(output, page, config):
    if 'class="doc doc-' in output:
        return output
    return LINK.sub("", output)
