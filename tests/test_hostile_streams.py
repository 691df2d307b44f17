"""Recorded streams, mangled in ways the SSE spec allows, parse to the same message.

Every SSE body in cassettes/*.yaml is fed to each parsing path the site shows: the sync
helper (`messages.stream()`: text_stream, get_final_message), the raw events
(`messages.create(stream=True)`), and the async helper and raw events. A canned answer
(`streamdocs.emulator.canned`) serves the body in pieces cut at byte offsets hypothesis
chooses (mid line, mid UTF-8 character), after it was rewritten with CRLF or CR line
endings, re-spaced or multi-line JSON, `:` comment lines, unknown event types and runs
of pings. The text, the content blocks and the stop reason must not change.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import anthropic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamdocs import sse
from streamdocs.emulator.canned import REQUEST, Body, async_client_serving, client_serving
from streamdocs.paths import CASSETTES, rel
from streamdocs.recording import cassettes

PING = ("ping", '{"type": "ping"}')


def recorded_streams() -> list[tuple[str, bytes]]:
    streams = []
    for path in sorted(CASSETTES.glob("*.yaml")):
        for number, interaction in enumerate(cassettes.load(path)["interactions"]):
            response = interaction["response"]
            content_type = response["headers"].get("content-type", [""])[0]
            if "text/event-stream" in content_type:
                streams.append((f"{rel(path)}#{number}", response["body"]["string"].encode()))
    return streams


STREAMS = recorded_streams()


# --- the transformations ------------------------------------------------------------


@dataclass
class Mangling:
    newline: str
    separators: tuple[str, str] | None  # None: keep the recorded JSON text
    indent: int | None  # multi-line JSON, one `data:` line per line
    ascii_only: bool
    comments: bool
    unknown: list[tuple[int, str]]  # (position, event name)
    pings: list[tuple[int, int]]  # (position, how many back to back)
    cuts: list[int]  # byte offsets, as fractions of the length times 10_000


manglings = st.builds(
    Mangling,
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    separators=st.one_of(
        st.none(),
        st.tuples(st.sampled_from([",", ", ", " ,  "]), st.sampled_from([":", ": ", " :  "])),
    ),
    indent=st.one_of(st.none(), st.integers(0, 2)),
    ascii_only=st.booleans(),
    comments=st.booleans(),
    unknown=st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from(["future_event", "message_annotation"])),
        max_size=3,
    ),
    pings=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 3)), max_size=3),
    cuts=st.lists(st.integers(0, 10_000), max_size=40),
)


def mangle(body: bytes, how: Mangling) -> list[bytes]:
    """The body rewritten as `how` says, cut into the pieces the server will send."""
    events = sse.events(body)
    inserts = [(position, [(name, json.dumps({"type": name}))]) for position, name in how.unknown]
    inserts += [(position, [PING] * count) for position, count in how.pings]
    for position, extra in sorted(inserts, key=lambda insert: -insert[0]):
        events[position:position] = extra  # past the end: appended

    nl = how.newline
    out = []
    for name, data in events:
        if how.separators is not None or how.indent is not None:
            data = json.dumps(
                json.loads(data),
                separators=how.separators,
                indent=how.indent,
                ensure_ascii=how.ascii_only,
            )
        lines = [f"event: {name}"]
        if how.comments:
            lines.append(": keep-alive")
        lines += [f"data: {line}" for line in data.split("\n")]
        out.append(nl.join(lines) + nl + nl)
    raw = "".join(out).encode("utf-8")
    offsets = sorted({cut * len(raw) // 10_000 for cut in how.cuts} | {0, len(raw)})
    return [raw[start:end] for start, end in zip(offsets, offsets[1:], strict=False)]


# --- the parsing paths ------------------------------------------------------------------


def _error(err: anthropic.APIStatusError) -> tuple[str, int, Any]:
    return type(err).__name__, err.status_code, err.body


def helper_sync(body: Body) -> dict:
    text = []
    try:
        with client_serving(body).messages.stream(**REQUEST) as stream:
            text.extend(stream.text_stream)
            message = stream.get_final_message()
    except anthropic.APIStatusError as err:
        return {"text": "".join(text), "error": _error(err)}
    blocks = [block.model_dump() for block in message.content]
    return {"text": "".join(text), "blocks": blocks, "stop_reason": message.stop_reason}


def raw_sync(body: Body) -> dict:
    return _fold_raw(lambda: client_serving(body).messages.create(**REQUEST, stream=True))


def helper_async(body: Body) -> dict:
    async def run() -> dict:
        text = []
        try:
            async with async_client_serving(body).messages.stream(**REQUEST) as stream:
                async for piece in stream.text_stream:
                    text.append(piece)
                message = await stream.get_final_message()
        except anthropic.APIStatusError as err:
            return {"text": "".join(text), "error": _error(err)}
        blocks = [block.model_dump() for block in message.content]
        return {"text": "".join(text), "blocks": blocks, "stop_reason": message.stop_reason}

    return asyncio.run(run())


def raw_async(body: Body) -> dict:
    async def run() -> dict:
        events = []
        try:
            stream = await async_client_serving(body).messages.create(**REQUEST, stream=True)
            async with stream:
                async for event in stream:
                    events.append(event)
        except anthropic.APIStatusError as err:
            return {**_fold_events(events), "error": _error(err)}
        return _fold_events(events)

    return asyncio.run(run())


def _fold_raw(create) -> dict:
    events = []
    try:
        with create() as stream:
            events.extend(stream)
    except anthropic.APIStatusError as err:
        return {**_fold_events(events), "error": _error(err)}
    return _fold_events(events)


def _fold_events(events: list) -> dict:
    """What a raw-events reader builds: text, each block's type and deltas, stop reason."""
    text, blocks, stop_reason = [], {}, None
    for event in events:
        if event.type == "content_block_start":
            blocks[event.index] = [event.content_block.type]
        elif event.type == "content_block_delta":
            delta = event.delta.model_dump()
            blocks[event.index].append(delta)
            if event.delta.type == "text_delta":
                text.append(event.delta.text)
        elif event.type == "message_delta":
            stop_reason = event.delta.stop_reason
    return {"text": "".join(text), "blocks": blocks, "stop_reason": stop_reason}


PATHS = {
    "helper_sync": helper_sync,
    "raw_sync": raw_sync,
    "helper_async": helper_async,
    "raw_async": raw_async,
}


def outcome(path: str, pieces: list[bytes]) -> dict:
    return PATHS[path](Body(pieces))


def recorded_text(body: bytes) -> str:
    """The text deltas as recorded, read without the SDK."""
    deltas = (json.loads(data) for _, data in sse.events(body))
    return "".join(
        event["delta"]["text"]
        for event in deltas
        if event["type"] == "content_block_delta" and event["delta"]["type"] == "text_delta"
    )


# --- the tests --------------------------------------------------------------------------


def test_there_are_recorded_streams():
    assert len(STREAMS) >= 3, "expected the cassettes to hold SSE streams to replay"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("where, body", STREAMS, ids=[where for where, _ in STREAMS])
def test_unmangled_stream_gives_the_recorded_text(path, where, body):
    """The baseline the mangled runs are compared with is itself right."""
    result = outcome(path, [body])
    assert result["text"] == recorded_text(body), f"{path} on {where}"


@pytest.mark.parametrize("path", PATHS)
@settings(
    max_examples=75,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI failures reproduce
    suppress_health_check=[HealthCheck.too_slow],
)
@given(stream=st.sampled_from(STREAMS), how=manglings)
def test_mangled_stream_parses_the_same(path, stream, how):
    where, body = stream
    expected = outcome(path, [body])
    actual = outcome(path, mangle(body, how))
    assert actual == expected, f"{path} on {where} read a different message from {how}"
