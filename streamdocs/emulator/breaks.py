"""Every way one SSE body can break: the rules, applied to the bytes of an answer.

Each rule gives `Break(kind, label, fault)` triples: `kind` is "cut", "stall" or "model",
`label` says what broke as a reader of a failure needs to hear it, and `fault` is the
`Fault` the emulator serves (`Emulator.add_case`). The rules read nothing but the body, so
one place serves both users: the site's generated faults break each sample's recorded
answer (streamdocs/samples/variants.py), and the emulator kit breaks each shape's answer to
a reader's own request (streamdocs/kit/).

- cut: the body ends after each event, abruptly (no terminating chunk) or cleanly; or
  inside an event, both ways: after each byte but the last of the answer's first non-ASCII
  character, and inside the first `partial_json` and the first thinking text; plus seeded
  offsets elsewhere (abruptly);
- stall: silence at each phase of the answer (`STALL_PHASES`), for `seconds`;
- model: the answer names another model id (`message_start.message.model`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import NamedTuple

from streamdocs.sse import json_events

from .variants import Fault, event_ends

KINDS = ("cut", "stall", "model")
# Offsets drawn at random besides the rules' own: `likeliest` (make test, the kit's
# default) draws a few, the whole search (make fuzz, `--claude-faults all`) many.
SEEDED_OFFSETS = {True: 3, False: 40}
STALL_PHASES = (
    "before the response headers",
    "after the headers, before the first byte",
    "after message_start",
    "inside a text block",
    "inside a tool's input",
    "after message_delta, before message_stop",
)


class Break(NamedTuple):
    kind: str  # one of KINDS
    label: str  # what broke, as a reader of a failure needs to hear it
    fault: Fault


def parsed_events(body: bytes) -> list[tuple[int, int, dict]]:
    """(start, end, payload) of each event of the body."""
    found, start = [], 0
    for end in event_ends(body):
        events = json_events(body[start:end])
        found.append((start, end, events[0][1] if events else {}))
        start = end
    return found


def delta(payload: dict, kind: str) -> str:
    """The text a `content_block_delta` of this delta type carries ("" for any other)."""
    found = payload.get("delta") or {}
    if payload.get("type") != "content_block_delta" or found.get("type") != kind:
        return ""
    return found.get(
        {"text_delta": "text", "thinking_delta": "thinking"}.get(kind, "partial_json"), ""
    )


def text_of(body: bytes) -> str:
    """The text of the body's text deltas, joined."""
    return "".join(delta(payload, "text_delta") for _, _, payload in parsed_events(body))


def describe(payload: dict) -> str:
    kind = payload.get("type", "?")
    what = (payload.get("delta") or {}).get("type")
    block = (payload.get("content_block") or {}).get("type")
    return f"{kind} {what or block or ''}".strip()


# --- the rules -------------------------------------------------------------------------------


def cuts(body: bytes, likeliest: bool, rng: random.Random) -> list[Break]:
    events = parsed_events(body)
    found = []
    for number, (_, end, payload) in enumerate(events):
        what = describe(payload)
        found.append(
            Break("cut", f"dropped after event {number} ({what})", Fault(body, cut_at=end))
        )
        if number < len(events) - 1:  # a clean end after the last event is the whole answer
            found.append(
                Break(
                    "cut",
                    f"ended cleanly after event {number} ({what})",
                    Fault(body, cut_at=end, abrupt=False),
                )
            )
    for offset, what in inside_events(body, events):
        found.append(Break("cut", f"dropped {what}", Fault(body, cut_at=offset)))
        # a proxy may close the body cleanly there too: the decoder then holds half a
        # character with no more bytes to come
        found.append(
            Break("cut", f"ended cleanly {what}", Fault(body, cut_at=offset, abrupt=False))
        )
    count = min(SEEDED_OFFSETS[likeliest], len(body) - 1)
    for offset in sorted(rng.sample(range(1, len(body)), k=count)):
        found.append(
            Break("cut", f"dropped at byte {offset} of {len(body)}", Fault(body, cut_at=offset))
        )
    return found


def inside_events(body: bytes, events) -> list[tuple[int, str]]:
    """Offsets inside the first non-ASCII character of the text, the first partial_json and
    the first thinking text: where a reader that decodes or parses too early breaks."""
    found = []
    for kind, label in (("text_delta", "text"), ("input_json_delta", "partial_json"),
                        ("thinking_delta", "thinking text")):  # fmt: skip
        for start, end, payload in events:
            piece = delta(payload, kind)
            if kind == "text_delta":
                char = next((c for c in piece if ord(c) > 127), None)
                if char is None:
                    continue
                at = body.index(char.encode(), start, end)
                size = len(char.encode())
                found += [(at + i, f"inside {char!r} of the text ({i} of its {size} bytes)")
                          for i in range(1, size)]  # fmt: skip
                break
            if piece:
                raw = body[start:end]
                at = start + raw.index(
                    b'"' + ("partial_json" if kind == "input_json_delta" else "thinking").encode()
                )
                value = raw.index(b":", at - start) + start + 2  # after the opening quote
                length = len(piece.encode())
                found += [(value + i, f"inside the first {label} ({i} of {length} bytes)")
                          for i in sorted({1, length // 2, max(1, length - 1)})]  # fmt: skip
                break
    return found


def stall_points(body: bytes) -> dict[str, int | str]:
    """Where each phase of `STALL_PHASES` the body has begins: "headers" (before them), or
    the bytes sent before the silence."""
    events = parsed_events(body)

    def after(test) -> int | None:
        return next((end for _, end, payload in events if test(payload)), None)

    where = {
        STALL_PHASES[0]: "headers",
        STALL_PHASES[1]: 0,
        STALL_PHASES[2]: after(lambda p: p.get("type") == "message_start"),
        STALL_PHASES[3]: after(lambda p: bool(delta(p, "text_delta"))),
        STALL_PHASES[4]: after(lambda p: bool(delta(p, "input_json_delta"))),
        STALL_PHASES[5]: after(lambda p: p.get("type") == "message_delta"),
    }
    return {phase: at for phase, at in where.items() if at is not None}


def stall_label(phase: str) -> str:
    return f"silent {phase}"


def stalls(body: bytes, seconds: float) -> list[Break]:
    return [
        Break("stall", stall_label(phase), Fault(body, stall_at=at, stall_seconds=seconds))
        for phase, at in stall_points(body).items()
    ]


def renamed(body: bytes, ids: Iterable[str]) -> list[Break]:
    """The answer naming each of `ids` as its model."""
    return [
        Break("model", f"the answer names model {model}", Fault(body, model=model)) for model in ids
    ]
