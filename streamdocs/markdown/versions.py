"""Markdown extension: fill `<!-- version:NAME -->` placeholders from the installed packages.

The Versions page states what the samples were tested with; reading it from the
environment at build time means it cannot drift from the lock. An unknown name
fails the build by page and name.
"""

from __future__ import annotations

import re
from importlib.metadata import metadata, version

from streamdocs import BuildError
from streamdocs.markdown import Placeholders


def python_minimum() -> str:
    """`3.10` from the SDK's `Requires-Python: >=3.10`."""
    requires = metadata("anthropic")["Requires-Python"] or ""
    match = re.fullmatch(r"\s*>=\s*(3\.\d+)\s*", requires)
    if not match:
        raise BuildError(
            f"anthropic declares Requires-Python {requires!r}; "
            "streamdocs/markdown/versions.py only reads a plain `>=3.N`"
        )
    return match[1]


def api_version() -> str:
    """The `anthropic-version` header the SDK sends."""
    from streamdocs.sdk_internals import API_VERSION

    return API_VERSION


VALUES = {
    "anthropic": lambda: version("anthropic"),
    "httpx2": lambda: version("httpx2"),
    "api-version": api_version,
    "python-minimum": python_minimum,
}


PLACEHOLDERS = Placeholders("version", VALUES)
PLACEHOLDER = PLACEHOLDERS.pattern
fill = PLACEHOLDERS.fill


def makeExtension(**kwargs):
    return PLACEHOLDERS.extension(**kwargs)
