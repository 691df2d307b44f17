"""One break of one answer, for the generated faults: which bytes of a body go out, and how
the response ends or goes silent.

A `Fault` is the plan for the first request of one *case* (its retries get the same); the
emulator serves it on `/case/<id>/v1/messages` (or with the `x-streamdocs-case` header, for
curl), so many cases run at once, each its own answer, with no shared "current answer".
Later requests of the case get the emulator's natural answer, and the emulator logs for
each request what arrived whole: its text deltas, its stop reason, the tools it called and
whether `message_stop` did, with the request and the bytes sent. A `Fault` may name a
*shape* (a scenario) to answer in place of the natural answer, as it is or broken: the
emulator kit (streamdocs/kit/) serves each shape and its breaks that way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from streamdocs.sse import json_events

CASE_HEADER = "x-streamdocs-case"


@dataclass(frozen=True)
class Fault:
    """How the first request's answer breaks. `body` is a recorded SSE body (None: the
    emulator's natural answer to the request, as bytes); offsets count its bytes."""

    body: bytes | None = None
    model: str | None = None  # the model message_start names, in place of the recorded one
    cut_at: int | None = None  # the body ends after this many bytes
    abrupt: bool = True  # ...without the terminating chunk (dropped), or cleanly
    # go silent for `stall_seconds`: before the headers ("headers"), or after this many
    # bytes of the body (0: after the headers, before the first byte); without `stall_at`,
    # a `shape` that stalls stays silent for `stall_seconds` instead of its own time
    stall_at: int | str | None = None
    stall_seconds: float = 0.0
    cut_after_text: int | None = None  # cut after this many text deltas (of any answer)
    # the fresh request it breaks (0: the first; earlier ones are natural, later ones too);
    # None: every request of the case (the kit's command serving one shape or fault)
    request: int | None = 0
    # the scenario that answers the broken request in place of the natural answer; with no
    # break and no body, it is served as the scenario says (its own errors, cuts, pacing)
    shape: str | None = None

    @property
    def breaks(self) -> bool:
        """Whether it changes the answer's bytes (a body, a cut, a stall or a model)."""
        return (
            self.body is not None
            or self.model is not None
            or self.cut_at is not None
            or self.stall_at is not None
            or self.cut_after_text is not None
        )

    def with_body(self, body: bytes) -> Fault:
        """The plan for a concrete body: the model renamed, a text delta count made an
        offset (the end of the body when it has fewer)."""
        if self.model is not None:
            body = rename_model(body, self.model)
        fault = replace(self, body=body, model=None)
        if self.cut_after_text is not None:
            ends, seen, start = event_ends(body), 0, 0
            cut = len(body)
            for end in ends:
                seen += b'"text_delta"' in body[start:end]
                start = end
                if seen >= self.cut_after_text:
                    cut = end
                    break
            fault = replace(fault, cut_at=cut, cut_after_text=None)
        return fault


def event_ends(body: bytes) -> list[int]:
    """The offset just after each event's blank line."""
    ends, at = [], 0
    while (found := body.find(b"\n\n", at)) != -1:
        at = found + 2
        ends.append(at)
    return ends


def rename_model(body: bytes, model: str) -> bytes:
    """The body with message_start naming `model` (the answer's model, not the request's)."""
    out = []
    for chunk in body.split(b"\n\n"):
        if chunk.startswith(b"event: message_start\ndata: "):
            data = json.loads(chunk.split(b"\ndata: ", 1)[1])
            data["message"]["model"] = model
            compact = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            chunk = b"event: message_start\ndata: " + compact.encode()
        out.append(chunk)
    return b"\n\n".join(out)


@dataclass
class Arrived:
    """What one request of a case has been sent whole so far: the text of its text deltas,
    its stop reason, the tools it called, and whether its `message_stop` event went out
    (read from the bytes written so far, so it holds even while a stalled answer is still
    silent); with the request itself and the bytes written."""

    status: int = 200
    request: Any = None  # the request's JSON body
    body: bytes = b""  # the SSE bytes written so far (uncompressed)
    message: dict | None = None  # a whole (non-streamed) message that was sent
    # Set by the server: an HTTP error's type; whether a whole message counts as complete
    http_error: str | None = None
    whole_complete: bool = False
    # The body's events, parsed when a field is read (not on every write: a case's answer
    # is written event by event, and parsing all of it each time was the suite's hot spot)
    _parsed: tuple[int, list[dict]] = field(default=(-1, []), repr=False, compare=False)

    def sent(self, body: bytes) -> None:
        """The bytes written so far were `body`."""
        self.body = body

    def whole(self, message: dict, complete: bool) -> None:
        """A whole (non-streamed) `message` was sent; `complete`: as good as its
        message_stop."""
        self.message, self.whole_complete = message, complete

    def _events(self) -> list[dict]:
        if self._parsed[0] != len(self.body):  # an event cut short is none
            self._parsed = (len(self.body), [data for _, data in json_events(self.body)])
        return self._parsed[1]

    @property
    def text(self) -> str:
        if self.message is not None:
            content = self.message.get("content") or []
            return "".join(b.get("text", "") for b in content if b.get("type") == "text")
        return "".join(
            data["delta"].get("text", "")
            for data in self._events()
            if data.get("type") == "content_block_delta"
            and data["delta"].get("type") == "text_delta"
        )

    @property
    def message_stop(self) -> bool:
        if self.message is not None:
            return self.whole_complete
        return any(data.get("type") == "message_stop" for data in self._events())

    @property
    def stop_reason(self) -> str | None:
        if self.message is not None:
            return self.message.get("stop_reason")
        return next(
            (
                data["delta"].get("stop_reason")
                for data in self._events()
                if data.get("type") == "message_delta" and isinstance(data.get("delta"), dict)
            ),
            None,
        )

    @property
    def tools(self) -> tuple[str, ...]:
        if self.message is not None:
            content = self.message.get("content") or []
            return tuple(b.get("name", "") for b in content if b.get("type") == "tool_use")
        return tuple(
            data["content_block"].get("name", "")
            for data in self._events()
            if data.get("type") == "content_block_start"
            and (data.get("content_block") or {}).get("type") == "tool_use"
        )

    @property
    def error(self) -> str | None:
        """The type of the HTTP error or `error` event it got."""
        if self.http_error is not None:
            return self.http_error
        return next(
            (
                str((d.get("error") or {}).get("type"))
                for d in self._events()
                if d.get("type") == "error"
            ),
            None,
        )


@dataclass
class CaseLog:
    """A case's plan and what each of its requests received, in the order they came."""

    fault: Fault
    requests: list[Arrived] = field(default_factory=list)
    fresh: int = 0  # fresh requests so far (retries are not fresh)

    def begin(self) -> Arrived:
        self.requests.append(Arrived())
        return self.requests[-1]
