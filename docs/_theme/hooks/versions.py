"""Build hook: fill `<!-- version:NAME -->` placeholders from the installed packages.

The Versions page states what the samples were tested with; reading it from the
environment at build time means it cannot drift from the lock. An unknown name
fails the build by page and name.
"""

from __future__ import annotations

import re
from importlib.metadata import metadata, version

from anthropic._constants import ANTHROPIC_API_VERSION
from mkdocs.exceptions import PluginError

PLACEHOLDER = re.compile(r"<!-- version:(?P<name>[\w-]+) -->")


def python_minimum() -> str:
    """`3.10` from the SDK's `Requires-Python: >=3.10`."""
    requires = metadata("anthropic")["Requires-Python"] or ""
    match = re.fullmatch(r"\s*>=\s*(3\.\d+)\s*", requires)
    if not match:
        raise PluginError(
            f"anthropic declares Requires-Python {requires!r}; "
            "docs/_theme/hooks/versions.py only reads a plain `>=3.N`"
        )
    return match[1]


VALUES = {
    "anthropic": lambda: version("anthropic"),
    "httpx2": lambda: version("httpx2"),
    "api-version": lambda: ANTHROPIC_API_VERSION,
    "python-minimum": python_minimum,
}


def on_page_markdown(markdown, page, config, files):
    def fill(match: re.Match) -> str:
        name = match["name"]
        if name not in VALUES:
            raise PluginError(
                f"docs/{page.file.src_uri}: unknown placeholder `version:{name}` "
                f"(known: {', '.join(VALUES)})"
            )
        return VALUES[name]()

    return PLACEHOLDER.sub(fill, markdown)
