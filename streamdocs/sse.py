"""Reading an SSE body as the API frames it, for tests that check the framing itself.

The SDK's own decoder forgives what the wire-format brief forbids (CRLF, extra lines), so
tests of the emulator's bytes read them here, strictly.
"""

from __future__ import annotations


def parse_events(data: bytes) -> list[tuple[str, str]]:
    """(event name, data line) pairs, asserting the framing rules on the way."""
    assert data.endswith(b"\n\n"), data[-40:]
    assert b"\r" not in data, "LF only"
    events = []
    for block in data[:-2].split(b"\n\n"):
        lines = block.decode().split("\n")
        assert len(lines) == 2, f"one event line and one data line: {lines}"
        event_line, data_line = lines
        assert event_line.startswith("event: ") and data_line.startswith("data: "), lines
        events.append((event_line.removeprefix("event: "), data_line.removeprefix("data: ")))
    return events
