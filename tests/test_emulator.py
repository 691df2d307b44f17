"""The Messages API emulator: wire format, SDK types, SDK behaviour, timing and chunking."""

from __future__ import annotations

import asyncio
import json
import math
import re
import socket
import time
from typing import Any

import anthropic
import httpx2
import pydantic
import pytest
from anthropic.types import ErrorResponse, Message, RawMessageStreamEvent

from streamdocs.emulator import Emulator
from streamdocs.emulator.scenarios import KNOWN_MODELS, SCENARIO_DIR, load_scenario, load_scenarios
from streamdocs.sse import framed_events

MODEL = "claude-sonnet-5-5"
KEY = "sk-ant-emulator-test"
PROMPT = [{"role": "user", "content": "Hello there"}]
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Get the current weather in a given location",
    "input_schema": {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location"],
    },
}

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


@pytest.fixture(scope="module")
def emu():
    with Emulator() as emulator:
        yield emulator


def request_body(name: str, **extra: Any) -> dict[str, Any]:
    """A request that suits the scenario (tools for tool_use, thinking for thinking)."""
    body: dict[str, Any] = {"model": MODEL, "max_tokens": 2048, "messages": PROMPT}
    if name == "tool_use":
        body["tools"] = [WEATHER_TOOL]
    if name == "thinking":
        body["thinking"] = {"type": "enabled", "budget_tokens": 1024}
    return {**body, **extra}


def fetch(
    url: str, body: Any, *, headers: dict[str, str] | None = None, timeout: float = 5.0
) -> tuple[httpx2.Response, bytes]:
    """POST with plain httpx2; returns the response and the (decoded) body bytes received,
    up to a dropped connection or a read timeout."""
    headers = {"x-api-key": KEY, **(headers or {})}
    with httpx2.Client(timeout=timeout) as client:
        with client.stream("POST", f"{url}/v1/messages", json=body, headers=headers) as response:
            data = b""
            try:
                for chunk in response.iter_bytes():
                    data += chunk
            except (httpx2.RemoteProtocolError, httpx2.ReadTimeout):
                pass
    return response, data


def fetch_stream(emu: Emulator, name: str, **extra: Any) -> tuple[httpx2.Response, bytes]:
    # the last attempt is the streaming one (rate_limit_then_success answers 429 first)
    attempt = str(len(SCENARIOS[name].replies) - 1)
    return fetch(
        emu.base_url(name),
        request_body(name, stream=True, **extra),
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


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def check_message(message: Any, name: str, max_tokens: int = 2048) -> None:
    """`message` (an SDK Message) is what scenario `name` defines."""
    defined = SCENARIOS[name].replies[-1]
    budget = min(max_tokens, defined.max_tokens or max_tokens)
    assert len(message.content) == len(defined.content)
    output = 0
    for block, want in zip(message.content, defined.content, strict=True):
        assert block.type == want["type"]
        if want["type"] == "text":
            assert block.text == want["text"][: (budget - output) * 4]
            output += tokens(block.text)
        elif want["type"] == "thinking":
            assert block.thinking == want["thinking"]
            assert block.signature and block.signature == (want["signature"] or block.signature)
            output += tokens(block.thinking)
        else:
            assert block.id.startswith("toolu_01")
            assert (block.name, block.input) == (WEATHER_TOOL["name"], want["input"])
            output += tokens(json.dumps(block.input))
    if defined.max_tokens:
        assert (message.stop_reason, message.usage.output_tokens) == ("max_tokens", budget)
    else:
        expected = defined.stop_reason or ("tool_use" if name == "tool_use" else "end_turn")
        assert (message.stop_reason, message.usage.output_tokens) == (expected, output)
    assert message.model == MODEL and message.id.startswith("msg_01")


def text_of(name: str) -> str:
    return "".join(b["text"] for b in SCENARIOS[name].replies[-1].content if b["type"] == "text")


# --- scenarios and the server itself -------------------------------------------------------


def test_required_scenarios_exist_and_describe_themselves():
    required = {
        "text",
        "max_tokens",
        "tool_use",
        "thinking",
        "error_event",
        "rate_limit_then_success",
        "overloaded",
        "unauthorized",
        "unknown_model",
        "connection_cut",
        "gzip",
        "stall",
    }
    assert required <= set(SCENARIOS)
    assert len([s for s in SCENARIOS.values() if s.prompt is not None]) >= 3
    for scenario in SCENARIOS.values():
        assert scenario.description.strip() and "\n" not in scenario.description.strip()


def test_scenario_files_with_typos_are_rejected(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("description: x\ncontent:\n  - text: hi\nstop_reason: end_turn\nping: 2\n")
    with pytest.raises(ValueError, match="ping"):
        load_scenario(path)


def test_binds_loopback_only(emu):
    assert emu.url.startswith("http://127.0.0.1:")
    assert emu.addresses and all(host == "127.0.0.1" for host, _ in emu.addresses)


# --- the stream on the wire ----------------------------------------------------------------


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
        assert delta[0]["delta"]["stop_details"] is None


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


# --- non-streaming bodies and error bodies ---------------------------------------------------


@pytest.mark.parametrize("name", MESSAGES)
def test_non_streaming_body_validates_against_sdk_types(emu, name):
    response, data = fetch(emu.base_url(name), request_body(name))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    message = MESSAGE.validate_python(json.loads(data), strict=True)
    assert unknown_keys(message) == []
    check_message(message, name)


@pytest.mark.parametrize("name", ERRORS)
def test_error_bodies_validate_against_sdk_types(emu, name):
    response, data = fetch(emu.base_url(name), request_body(name, stream=True))
    error = SCENARIOS[name].replies[0].error
    assert response.status_code == error.status
    assert response.headers["content-type"].startswith("application/json")
    model = ERROR.validate_python(json.loads(data), strict=True)
    assert unknown_keys(model) == []
    assert (model.error.type, model.request_id) == (error.type, response.headers["request-id"])
    retry = error.status == 429 or error.status >= 500
    assert response.headers["x-should-retry"] == ("true" if retry else "false")


# --- round trips through the SDK -------------------------------------------------------------


@pytest.mark.parametrize("name", MESSAGES)
def test_sdk_stream_and_create(emu, name):
    with anthropic.Anthropic(base_url=emu.base_url(name), api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request_body(name)) as stream:
            text = "".join(stream.text_stream)
            streamed = stream.get_final_message()
        created = client.messages.create(**request_body(name))
    check_message(streamed, name)
    check_message(created, name)
    assert text == "".join(b.text for b in streamed.content if b.type == "text")
    assert streamed.usage == created.usage


@pytest.mark.parametrize("name", MESSAGES)
def test_async_sdk_stream(emu, name):
    async def run():
        async with anthropic.AsyncAnthropic(
            base_url=emu.base_url(name), api_key=KEY, max_retries=0
        ) as client:
            async with client.messages.stream(**request_body(name)) as stream:
                text = "".join([t async for t in stream.text_stream])
                return text, await stream.get_final_message()

    text, message = asyncio.run(run())
    check_message(message, name)
    assert text == "".join(b.text for b in message.content if b.type == "text")


@pytest.mark.parametrize(
    ("extra", "prompt", "expected"),
    [
        ({}, "Write a haiku about the sea", "text_haiku"),
        ({}, "Tell me a short story about a ROBOT", "text_robot"),
        ({}, "Explain quantum computing in one sentence", "text_quantum"),
        ({}, "What does streaming do?", "text_streaming"),
        ({}, "Hello there", "text"),
        ({"tools": [WEATHER_TOOL]}, "What's the weather in Paris?", "tool_use"),
        ({"thinking": {"type": "adaptive"}}, "What is 27 * 453?", "thinking"),
        ({"thinking": {"type": "disabled"}}, "Hello there", "text"),
    ],
)
def test_scenario_is_chosen_automatically(emu, extra, prompt, expected):
    body = {**request_body("text"), "messages": [{"role": "user", "content": prompt}], **extra}
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**body) as stream:
            message = stream.get_final_message()
    check_message(message, expected)


def test_tools_with_thinking_think_then_call(emu):
    body = {
        **request_body("text"),
        "tools": [WEATHER_TOOL],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
    }
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**body) as stream:
            message = stream.get_final_message()
    assert [b.type for b in message.content] == ["thinking", "tool_use"]
    assert message.stop_reason == "tool_use"


def test_any_text_stops_at_max_tokens(emu):
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        body = request_body("text", max_tokens=5)
        with client.messages.stream(**body) as stream:
            text = "".join(stream.text_stream)
            message = stream.get_final_message()
    assert text == text_of("text")[:20]
    assert (message.stop_reason, message.usage.output_tokens) == ("max_tokens", 5)


# --- errors ----------------------------------------------------------------------------------


def test_bad_or_missing_key_is_unauthorized(emu):
    with anthropic.Anthropic(base_url=emu.url, api_key="not-a-key", max_retries=0) as client:
        with pytest.raises(anthropic.AuthenticationError) as caught:
            client.messages.create(**request_body("text"))
    assert caught.value.status_code == 401 and caught.value.type == "authentication_error"
    response, _ = fetch(emu.url, request_body("text"), headers={"x-api-key": ""})
    assert response.status_code == 401 and response.headers["x-should-retry"] == "false"
    # a forced scenario wins over the key check
    response, _ = fetch(emu.base_url("text"), request_body("text"), headers={"x-api-key": ""})
    assert response.status_code == 200


def test_curl_style_x_api_key_is_accepted(emu):
    response, _ = fetch(emu.url, request_body("text"), headers={"x-api-key": KEY})
    assert response.status_code == 200
    assert emu.requests[-1]["headers"]["x-api-key"] == KEY


def test_unknown_model_is_not_found(emu):
    assert MODEL in KNOWN_MODELS and "claude-haiku-4-5" in KNOWN_MODELS
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with pytest.raises(anthropic.NotFoundError) as caught:
            client.messages.create(**request_body("text", model="claude-imaginary-9"))
    assert caught.value.api_message == "model: claude-imaginary-9"


def test_malformed_request_and_unknown_path(emu):
    response, data = fetch(emu.url, {"model": MODEL, "messages": PROMPT})
    assert response.status_code == 400
    assert json.loads(data)["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens: Field required",
    }
    with httpx2.Client() as client:
        response = client.get(f"{emu.url}/v1/models")
    assert response.status_code == 404
    assert ERROR.validate_python(response.json(), strict=True).error.type == "not_found_error"


def test_overloaded_is_529(emu):
    response, _ = fetch(emu.base_url("overloaded"), request_body("overloaded"))
    assert (response.status_code, response.reason_phrase) == (529, "")
    assert response.headers["x-should-retry"] == "true"
    with anthropic.Anthropic(
        base_url=emu.base_url("overloaded"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(anthropic.OverloadedError) as caught:
            with client.messages.stream(**request_body("overloaded")) as stream:
                stream.get_final_message()
    assert caught.value.status_code == 529


def test_rate_limit_then_success(emu, instant_retries):
    url = emu.base_url("rate_limit_then_success")
    response, _ = fetch(url, request_body("text"))  # attempt 0, as curl would see it
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2" and response.headers["x-should-retry"] == "true"

    seen = len(emu.requests)
    with anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=2) as client:
        with client.messages.stream(**request_body("rate_limit_then_success")) as stream:
            message = stream.get_final_message()
    check_message(message, "rate_limit_then_success")
    retries = [r["headers"]["x-stainless-retry-count"] for r in emu.requests[seen:]]
    assert retries == ["0", "1"]


def test_error_event_raises_api_status_error(emu):
    text = ""
    with anthropic.Anthropic(
        base_url=emu.base_url("error_event"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(anthropic.APIStatusError) as caught:
            with client.messages.stream(**request_body("error_event")) as stream:
                for piece in stream.text_stream:
                    text += piece
    # a 200 status maps to no subclass: the SDK raises APIStatusError itself
    assert type(caught.value) is anthropic.APIStatusError
    assert (caught.value.status_code, caught.value.type) == (200, "overloaded_error")
    after = SCENARIOS["error_event"].replies[-1].interrupt.after_chars
    assert len(text) >= after and text_of("error_event").startswith(text)


def test_connection_cut_raises_remote_protocol_error(emu):
    text = ""
    with anthropic.Anthropic(
        base_url=emu.base_url("connection_cut"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(httpx2.RemoteProtocolError, match="incomplete chunked read"):
            with client.messages.stream(**request_body("connection_cut")) as stream:
                for piece in stream.text_stream:
                    text += piece
    full = text_of("connection_cut")
    assert 0 < len(text) < len(full) and full.startswith(text)


def test_gzip(emu):
    with httpx2.Client() as client:
        body = request_body("gzip", stream=True)
        headers = {"x-api-key": KEY, "accept-encoding": "gzip"}
        url = f"{emu.base_url('gzip')}/v1/messages"
        with client.stream("POST", url, json=body, headers=headers) as response:
            raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert raw[:2] == b"\x1f\x8b"
    with anthropic.Anthropic(base_url=emu.base_url("gzip"), api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request_body("gzip")) as stream:
            assert stream.response.headers["content-encoding"] == "gzip"
            text = "".join(stream.text_stream)
    assert text == text_of("gzip")


def test_stall_times_out_and_emulator_stops_promptly():
    with Emulator() as emu:
        client = anthropic.Anthropic(
            base_url=emu.base_url("stall"), api_key=KEY, max_retries=0, timeout=0.5
        )
        with client:
            started = time.monotonic()
            # mid-stream, the SDK lets httpx2's own timeout through
            with pytest.raises(httpx2.ReadTimeout):
                with client.messages.stream(**request_body("stall")) as stream:
                    for _ in stream.text_stream:
                        pass
            # before the response, it wraps the timeout in its own class
            with pytest.raises(anthropic.APITimeoutError):
                client.messages.create(**request_body("stall"))
            assert time.monotonic() - started < 3
        stopping = time.monotonic()
    assert (
        time.monotonic() - stopping < 1.5
    )  # both handlers woke at shutdown, before the 2 s stall ended


# --- chunking and timing (what a cassette cannot hold) ---------------------------------------


def raw_http_chunks(url: str, body: dict[str, Any]) -> list[bytes]:
    """The HTTP/1.1 chunks of a response, read off a plain socket."""
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    path = "/" + url.removeprefix("http://").partition("/")[2]
    payload = json.dumps(body).encode()
    head = (
        f"POST {path.rstrip('/')}/v1/messages HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"x-api-key: {KEY}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode() + payload)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    rest = received.partition(b"\r\n\r\n")[2]
    chunks = []
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return chunks
        chunks.append(rest[:size])
        assert rest[size : size + 2] == b"\r\n"
        rest = rest[size + 2 :]


def test_chunk_size_splits_events_and_the_sdk_reassembles_them(emu):
    body = request_body("text_haiku", stream=True)
    with Emulator(chunk_size=1) as tiny:
        chunks = raw_http_chunks(tiny.base_url("text_haiku"), body)
        url = tiny.base_url("text_haiku")
        with anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0) as client:
            with client.messages.stream(**request_body("text_haiku")) as stream:
                message = stream.get_final_message()
    assert {len(c) for c in chunks} == {1}  # one HTTP chunk per byte, "—" split too
    _, whole = fetch_stream(emu, "text_haiku")
    assert b"".join(chunks) == whole
    check_message(message, "text_haiku")


def test_delay_delivers_text_incrementally():
    with Emulator(delay=0.05) as slow:
        client = anthropic.Anthropic(
            base_url=slow.base_url("text_haiku"), api_key=KEY, max_retries=0
        )
        with client:
            started = time.monotonic()
            arrivals = []
            with client.messages.stream(**request_body("text_haiku")) as stream:
                for _ in stream.text_stream:
                    arrivals.append(time.monotonic() - started)
            finished = time.monotonic() - started
    # 11 events, 10 pauses: the first text comes after 3, the last after 7
    assert len(arrivals) == 5
    assert arrivals[0] < 0.35
    assert arrivals[-1] - arrivals[0] >= 0.15
    assert finished >= 0.4
