"""Reading SSE bodies: one reader for the machinery, and a strict check of the emulator's framing.

`events` reads a body as any conforming client does (CRLF, several `data:` lines, comments;
an event cut off before its blank line is no event); httpx-sse does the parsing.
`framed_events` is for the tests of the emulator's own bytes: the SDK forgives what the
wire-format brief forbids, so those bytes are checked strictly here.
"""

from __future__ import annotations

import json

import httpx
import httpx_sse


def events(body: bytes | str) -> list[tuple[str, str]]:
    """(event name, data) of every complete event in the body."""
    raw = body.encode() if isinstance(body, str) else body
    response = httpx.Response(200, content=raw, headers={"content-type": "text/event-stream"})
    return [(event.event, event.data) for event in httpx_sse.EventSource(response).iter_sse()]


def json_events(body: bytes | str) -> list[tuple[str, dict]]:
    """(event name, payload); a payload that is not JSON reads as {}."""
    found = []
    for name, data in events(body):
        try:
            payload = json.loads(data) if data else {}
        except ValueError:
            payload = {}
        found.append((name, payload if isinstance(payload, dict) else {}))
    return found


def framed_events(data: bytes) -> list[tuple[str, str]]:
    """(event name, data line) pairs, asserting the API's framing on the way: LF only, one
    `event:` and one `data:` line per event, a blank line after each."""
    assert data.endswith(b"\n\n"), data[-40:]
    assert b"\r" not in data, "LF only"
    found = []
    for block in data[:-2].split(b"\n\n"):
        lines = block.decode().split("\n")
        assert len(lines) == 2, f"one event line and one data line: {lines}"
        event_line, data_line = lines
        assert event_line.startswith("event: ") and data_line.startswith("data: "), lines
        found.append((event_line.removeprefix("event: "), data_line.removeprefix("data: ")))
    return found
