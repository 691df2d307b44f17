"""The emulator's bytes on the wire: SSE framing, block structure, headers, bodies,
all validated against the pinned SDK's types."""

from __future__ import annotations

import json
import re
from typing import Any

import anthropic
import httpx2
import pydantic
import pytest
from anthropic.types import ErrorResponse, Message, RawMessageStreamEvent

from streamdocs.emulator import Emulator
from streamdocs.emulator.client import (
    KEY,
    differences,
    post,
    request_for,
)
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenarios
from streamdocs.sse import framed_events

SCENARIOS = load_scenarios(SCENARIO_DIR)  # the shapes have their own tests (test_shapes.py)
# scenarios whose (last) attempt is a stream, not an HTTP error
STREAMING = [name for name, s in SCENARIOS.items() if s.replies[-1].error is None]
# scenarios that always answer with a complete message
MESSAGES = [
    name
    for name, s in SCENARIOS.items()
    if all(r.error is None and r.interrupt is None for r in s.replies)
]
ERRORS = [name for name, s in SCENARIOS.items() if s.replies[0].error is not None]
EVENT = pydantic.TypeAdapter(RawMessageStreamEvent)
MESSAGE = pydantic.TypeAdapter(Message)
ERROR = pydantic.TypeAdapter(ErrorResponse)


def fetch_stream(emu: Emulator, name: str, **extra: Any) -> tuple[httpx2.Response, bytes]:
    # the last attempt is the streaming one (rate_limit_then_success answers 429 first)
    attempt = str(len(SCENARIOS[name].replies) - 1)
    return post(
        emu.base_url(name),
        request_for(SCENARIOS[name], stream=True, **extra),
        headers={"x-stainless-retry-count": attempt},
        timeout=0.5 if name == "stall" else 5.0,
    )


def unknown_keys(value: Any, path: str = "") -> list[str]:
    """Keys the SDK's models did not declare (its models accept and keep extras)."""
    if isinstance(value, pydantic.BaseModel):
        found = [f"{path}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += unknown_keys(getattr(value, name), f"{path}.{name}")
        return found
    if isinstance(value, list):
        return [key for i, item in enumerate(value) for key in unknown_keys(item, f"{path}[{i}]")]
    return []


@pytest.mark.parametrize("name", STREAMING)
def test_stream_framing(emu, name):
    response, data = fetch_stream(emu, name)
    assert response.status_code == 200
    events = framed_events(data)
    names = [event for event, _ in events]
    assert names[0] == "message_start"
    for event, line in events:
        if event == "ping":
            assert line == '{"type": "ping"}'
            continue
        parsed = json.loads(line)
        assert parsed["type"] == event
        # compact JSON, plus the API's run of spaces before the last brace
        compact = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
        assert re.sub(r" +}$", "}", line) == compact
        assert event == "message_start" or re.search(r"[^ ]  +}$", line), line

    interrupt = SCENARIOS[name].replies[-1].interrupt
    if interrupt is None or interrupt.pings_every:  # pings kept the stalled stream alive
        assert names[-2:] == ["message_delta", "message_stop"]
        assert json.loads(events[-1][1]) == {"type": "message_stop"}
    elif interrupt.error is not None:
        assert names[-1] == "error" and "message_delta" not in names
        assert json.loads(events[-1][1]) == {
            "type": "error",
            "error": {"details": None, "type": "overloaded_error", "message": "Overloaded"},
        }
    else:  # cut or stall: the body stops after some text, mid-message
        assert "content_block_delta" in names and "message_delta" not in names


@pytest.mark.parametrize("name", STREAMING)
def test_stream_block_structure(emu, name):
    _, data = fetch_stream(emu, name)
    events = [json.loads(line) for event, line in framed_events(data) if event != "ping"]
    blocks = [e for e in events if e["type"] == "content_block_start"]
    assert [b["index"] for b in blocks] == list(range(len(blocks)))
    for block in blocks:
        index = block["index"]
        own = [e for e in events if e.get("index") == index]
        assert own[0] is block
        deltas = [e["delta"] for e in own if e["type"] == "content_block_delta"]
        if block["content_block"]["type"] == "thinking":
            kinds = [d["type"] for d in deltas]
            assert kinds[-1] == "signature_delta" and kinds.count("signature_delta") == 1
            assert own[-1]["type"] == "content_block_stop"
        if block["content_block"]["type"] == "tool_use":
            assert deltas[0] == {"type": "input_json_delta", "partial_json": ""}
            assert len(deltas) > 2
    start = events[0]["message"]
    assert start["content"] == [] and start["stop_reason"] is None
    assert start["stop_details"] is None and start["usage"]["output_tokens"] == 1
    assert start["usage"]["cache_creation"] == {
        "ephemeral_5m_input_tokens": 0,
        "ephemeral_1h_input_tokens": 0,
    }
    delta = [e for e in events if e["type"] == "message_delta"]
    if delta:  # cumulative usage: repeats the input and cache counts
        usage = delta[0]["usage"]
        assert usage["input_tokens"] == start["usage"]["input_tokens"]
        assert usage["cache_read_input_tokens"] == 0 and usage["output_tokens"] > 1
        refused = delta[0]["delta"]["stop_reason"] == "refusal"
        assert (delta[0]["delta"]["stop_details"] is None) != refused


@pytest.mark.parametrize("name", STREAMING)
def test_stream_events_validate_against_sdk_types(emu, name):
    _, data = fetch_stream(emu, name)
    for event, line in framed_events(data):
        parsed = json.loads(line)
        if event == "ping":
            assert parsed == {"type": "ping"}
        elif event == "error":
            # `details: null` is on the wire (see the brief) but not in the SDK's error objects
            assert parsed["error"].pop("details") is None
            model = ERROR.validate_python(parsed, strict=True)
            assert unknown_keys(model) == []
        else:
            model = EVENT.validate_python(parsed, strict=True)
            assert unknown_keys(model) == [], event
            assert model.type == event


def test_stream_headers(emu):
    response, _ = fetch_stream(emu, "text")
    headers = response.headers
    assert headers["content-type"] == "text/event-stream; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert re.fullmatch(r"req_011C\w{20}", headers["request-id"])
    for kind in ("requests", "tokens", "input-tokens", "output-tokens"):
        for part in ("limit", "remaining", "reset"):
            assert headers[f"anthropic-ratelimit-{kind}-{part}"]
    assert re.fullmatch(r"[0-9a-f-]{36}", headers["anthropic-organization-id"])
    assert headers["server"] == "cloudflare" and headers["cf-ray"]
    assert headers["x-robots-tag"] == "none"
    assert headers["strict-transport-security"] and headers["set-cookie"]


def test_same_request_gives_same_bytes_and_ids(emu):
    first, first_body = fetch_stream(emu, "tool_use")
    again, again_body = fetch_stream(emu, "tool_use")
    other, other_body = fetch_stream(emu, "tool_use", max_tokens=1000)
    assert first_body == again_body
    assert first.headers["request-id"] == again.headers["request-id"]
    assert first.headers["request-id"] != other.headers["request-id"]
    assert first_body != other_body


@pytest.mark.parametrize("name", MESSAGES)
def test_non_streaming_body_validates_against_sdk_types(emu, name):
    response, data = post(emu.base_url(name), request_for(SCENARIOS[name]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    message = MESSAGE.validate_python(json.loads(data), strict=True)
    assert unknown_keys(message) == []
    assert differences(message, SCENARIOS[name]) == []


@pytest.mark.parametrize("name", ERRORS)
def test_error_bodies_validate_against_sdk_types(emu, name):
    response, data = post(emu.base_url(name), request_for(SCENARIOS[name], stream=True))
    error = SCENARIOS[name].replies[0].error
    assert response.status_code == error.status
    assert response.headers["content-type"].startswith("application/json")
    model = ERROR.validate_python(json.loads(data), strict=True)
    assert unknown_keys(model) == []
    assert (model.error.type, model.request_id) == (error.type, response.headers["request-id"])
    retry = error.status == 429 or error.status >= 500
    assert response.headers["x-should-retry"] == ("true" if retry else "false")


def test_gzip(emu):
    with httpx2.Client() as client:
        body = request_for(SCENARIOS["gzip"], stream=True)
        headers = {"x-api-key": KEY, "accept-encoding": "gzip"}
        url = f"{emu.base_url('gzip')}/v1/messages"
        with client.stream("POST", url, json=body, headers=headers) as response:
            raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert raw[:2] == b"\x1f\x8b"
    with anthropic.Anthropic(base_url=emu.base_url("gzip"), api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request_for(SCENARIOS["gzip"])) as stream:
            assert stream.response.headers["content-encoding"] == "gzip"
            text = "".join(stream.text_stream)
    assert text == SCENARIOS["gzip"].text
