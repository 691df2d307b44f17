"""Canned answers without a server: an SDK client whose transport plays given events.

For checks of what the SDK does with one exact answer (an event order, a cut at a chosen
byte, a status and its headers), framed by the emulator's own encoder and served through
httpx2's MockTransport, so no socket and no timing is involved.
"""

from __future__ import annotations

from typing import Any

import anthropic
import httpx2

from . import wire

MODEL = "claude-sonnet-5-5"
REQUEST = {"model": MODEL, "max_tokens": 1024, "messages": [{"role": "user", "content": "hi"}]}
START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 20, "output_tokens": 1},
    },
}
# Bound at import: a check may patch anthropic.Anthropic to hand out these clients.
_ANTHROPIC = anthropic.Anthropic
ERROR_BODY = {"type": "error", "error": {"type": "api_error", "message": "x"}}


def sse(*events: dict[str, Any]) -> bytes:
    """The events as the API frames them."""
    return b"".join(wire.encode_event(event, seq) for seq, event in enumerate(events))


def text_block(index: int, *pieces: str) -> list[dict[str, Any]]:
    """A text block's start, one delta per piece, and its stop."""
    block = {"type": "text", "text": ""}
    start = {"type": "content_block_start", "index": index, "content_block": block}
    deltas = [
        {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": p}}
        for p in pieces
    ]
    return [start, *deltas, {"type": "content_block_stop", "index": index}]


def end(
    input_tokens: int = 20, output_tokens: int = 9, stop_reason: str = "end_turn"
) -> list[dict[str, Any]]:
    """message_delta (with cumulative usage) and message_stop."""
    return [
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        },
        {"type": "message_stop"},
    ]


class Body(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body that yields `pieces` (cut wherever a check likes), then raises
    `error` if there is one; for the sync and the async client alike."""

    def __init__(self, pieces: list[bytes], error: Exception | None = None):
        self.pieces, self.error = pieces, error

    def __iter__(self):
        yield from self.pieces
        if self.error is not None:
            raise self.error

    async def __aiter__(self):
        for piece in self.pieces:
            yield piece
        if self.error is not None:
            raise self.error


Answer = Body | bytes | tuple[int, dict[str, str]]


def response(answer: Answer) -> httpx2.Response:
    """A 200 event stream for a Body or bytes; an error body for (status, headers)."""
    headers = {"content-type": "text/event-stream; charset=utf-8"}
    if isinstance(answer, Body):
        return httpx2.Response(200, headers=headers, stream=answer)
    if isinstance(answer, bytes):
        return httpx2.Response(200, headers=headers, content=answer)
    status, headers = answer
    return httpx2.Response(status, headers=headers, json=ERROR_BODY)


def transport(answers: tuple[Answer, ...], sent: list | None = None) -> httpx2.MockTransport:
    """Gives `answers` in turn (the last one again and again), noting requests in `sent`."""
    queue = list(answers)

    def handler(request: httpx2.Request) -> httpx2.Response:
        if sent is not None:
            sent.append(request)
        return response(queue.pop(0) if len(queue) > 1 else queue[0])

    return httpx2.MockTransport(handler)


def client_serving(
    *answers: Answer,
    sent: list[httpx2.Request] | None = None,
    max_retries: int = 0,
    **options: Any,
) -> anthropic.Anthropic:
    """A client whose transport gives `answers` in turn (the last one again and again),
    noting each request in `sent`."""
    return _ANTHROPIC(
        api_key="sk-ant-canned",
        max_retries=max_retries,
        http_client=httpx2.Client(transport=transport(answers, sent)),
        **options,
    )


def async_client_serving(*answers: Answer, **options: Any) -> anthropic.AsyncAnthropic:
    """The async twin of `client_serving`."""
    return anthropic.AsyncAnthropic(
        api_key="sk-ant-canned",
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=transport(answers)),
        **options,
    )
