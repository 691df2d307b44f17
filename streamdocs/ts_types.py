"""The TypeScript SDK's streaming helper, read from its type definitions (the installed
`@anthropic-ai/sdk` in snippets/ts/node_modules, `lib/MessageStream.d.ts`), as
streamdocs/sdk_types.py reads the Python SDK's: the reference page's TypeScript tables
are checked against these names (tests/reference/test_typescript.py).

The file is what `tsc` emitted for the SDK's release: one declaration per line, four
spaces in. A release that writes it otherwise fails here, by name, not silently.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from streamdocs.node import MODULES

DEFINITIONS = MODULES / "@anthropic-ai" / "sdk" / "lib" / "MessageStream.d.ts"

_EVENT = re.compile(r"^    (?P<name>\w+): \((?P<params>[^)]*)\) => void;$")
_MEMBER = re.compile(
    r"^    (?P<static>static )?(?P<get>get )?(?P<name>\w+|\[Symbol\.asyncIterator\])"
    r"(?P<call>[<(])?"
)


def _block(text: str, opening: str) -> list[str]:
    """The lines of the declaration that starts with `opening`, up to its closing brace."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(opening)), None)
    if start is None:
        raise AssertionError(f"{DEFINITIONS} declares no `{opening}`: has the SDK moved it?")
    end = lines.index("}", start)
    return lines[start + 1 : end]


@cache
def stream_events(path: Path = DEFINITIONS) -> dict[str, tuple[str, ...]]:
    """`MessageStreamEvents`: each event name and its listener's parameter names."""
    events = {}
    for line in _block(path.read_text(encoding="utf-8"), "export interface MessageStreamEvents"):
        match = _EVENT.match(line)
        if not match:
            raise AssertionError(f"{path}: cannot read the event line {line!r}")
        params = [p.split(":")[0].strip() for p in match["params"].split(",") if p.strip()]
        events[match["name"]] = tuple(params)
    return events


@cache
def stream_members(path: Path = DEFINITIONS) -> dict[str, str]:
    """The public members of `class MessageStream`: name -> `property`, `getter`, `method`
    or `static method` (protected and private members, and the constructor, left out)."""
    members = {}
    for line in _block(path.read_text(encoding="utf-8"), "export declare class MessageStream"):
        if not line.startswith("    ") or line.startswith("     "):
            continue  # a continuation of the member above
        declaration = line.strip()
        skipped = ("#private", "protected ", "private ", "constructor", "/**", "*", "}")
        if declaration.startswith(skipped):
            continue  # not public, a doc comment, or the end of a multi-line declaration
        match = _MEMBER.match(line)
        if not match:
            raise AssertionError(f"{path}: cannot read the member line {line!r}")
        kind = "getter" if match["get"] else "method" if match["call"] else "property"
        members[match["name"]] = f"static {kind}" if match["static"] else kind
    return members
