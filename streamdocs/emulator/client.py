"""The asking side of the emulator, for checks that read the wire and not the SDK's view.

`request_for` builds a request the real API could answer with a scenario (what it must hold
is `fit.requirements`). `post` sends a request with plain httpx2 and keeps what arrived
before a cut or a stall; `http_chunks` reads the HTTP/1.1 chunks off a socket, below what
any HTTP client shows; `differences` says how an SDK message differs from the answer a
scenario defines.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx2

from . import models, wire
from .fit import requirements
from .scenarios import Scenario, with_tool_results

KEY = "sk-ant-emulator-test"  # the emulator accepts any sk-ant- key
MODEL = "claude-sonnet-5-5"
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
# One tool of each server-tool family a request can offer.
SERVER_TOOLS = {
    "web_search": {"type": "web_search_20250305", "name": "web_search"},
    "web_fetch": {"type": "web_fetch_20250910", "name": "web_fetch"},
    "code_execution": {"type": "code_execution_20250825", "name": "code_execution"},
    "tool_search": {"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"},
}


def request_for(scenario: Scenario, **extra: Any) -> dict[str, Any]:
    """A request the real API could answer with this scenario; `extra` overrides fields."""
    needs = requirements(scenario)
    body: dict[str, Any] = {
        "model": MODEL,
        "max_tokens": 2048,
        "messages": [{"role": "user", "content": "What's the weather like in Paris?"}],
    }
    tools: list[dict[str, Any]] = []
    if "tools" in needs:
        tool = dict(WEATHER_TOOL)
        if "eager_input_streaming" in needs:
            tool["eager_input_streaming"] = True
        tools.append(tool)
    families = sorted(n.removeprefix("server:") for n in needs if n.startswith("server:"))
    # "server:any" (a pause_turn with no server block): any server tool will do
    tools += [SERVER_TOOLS.get(family, SERVER_TOOLS["web_search"]) for family in families]
    if tools:
        body["tools"] = tools
    if "thinking" in needs:
        shown = "omitted" if "thinking_omitted" in needs else "summarized"
        body["thinking"] = {"type": "adaptive", "display": shown}
    if "stop_sequences" in needs:
        body["stop_sequences"] = ["END"]
    return {**body, **extra}


def post(
    url: str,
    body: Any,
    *,
    headers: dict[str, str] | None = None,
    timeout: float | httpx2.Timeout = 5.0,
) -> tuple[httpx2.Response, bytes]:
    """POST `body` to `url`/v1/messages; the response and the (decoded) bytes that arrived,
    up to a dropped connection or a read timeout (the faults these checks look for)."""
    headers = {"x-api-key": KEY, **(headers or {})}
    received = bytearray()
    with httpx2.Client(timeout=timeout) as client:
        with client.stream("POST", f"{url}/v1/messages", json=body, headers=headers) as response:
            try:
                for chunk in response.iter_bytes():
                    received += chunk
            except httpx2.TransportError:
                pass
    return response, bytes(received)


def http_chunks(url: str, body: dict[str, Any]) -> list[bytes]:
    """The HTTP/1.1 chunks of the answer to `body`, read off a plain socket."""
    host, _, rest = url.removeprefix("http://").partition("/")
    name, port = host.split(":")
    payload = json.dumps(body).encode()
    path = f"/{rest}".rstrip("/") + "/v1/messages"
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n"
    )
    with socket.create_connection((name, int(port)), timeout=5) as sock:
        sock.sendall(head.encode() + payload)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    rest_of_body = received.partition(b"\r\n\r\n")[2]
    chunks = []
    while True:
        size_line, _, rest_of_body = rest_of_body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return chunks
        chunks.append(rest_of_body[:size])
        if rest_of_body[size : size + 2] != b"\r\n":
            raise ValueError(f"chunk of {size} bytes is not followed by CRLF")
        rest_of_body = rest_of_body[size + 2 :]


def differences(
    message: Any, scenario: Scenario, max_tokens: int = 2048, request: dict | None = None
) -> list[str]:
    """How `message` (an SDK Message, streamed or not) differs from what the scenario's last
    reply defines for a request of `max_tokens` (`request`: the one it answered, whose tool
    results the reply may quote); empty when it is that answer."""
    defined = with_tool_results(scenario.replies[-1], request or {})
    budget = min(max_tokens, defined.max_tokens or max_tokens)
    found = []
    got = [block.type for block in message.content]
    want = [block["type"] for block in defined.content]
    if got != want:
        return [f"blocks {got}, defined {want}"]
    output = 0
    for i, (block, spec) in enumerate(zip(message.content, defined.content, strict=True)):
        if block.type == "text":
            expected = spec["text"][: (budget - output) * 4]  # cut at max_tokens
            if block.text != expected:
                found.append(f"block {i}: text {block.text!r}, defined {expected!r}")
            output += wire.estimate_tokens(block.text)
        elif block.type == "thinking":
            if block.thinking != spec["thinking"]:
                found.append(f"block {i}: thinking {block.thinking!r}")
            if not block.signature or block.signature != (spec["signature"] or block.signature):
                found.append(f"block {i}: signature {block.signature!r}")
            output += wire.estimate_tokens(block.thinking)
        elif block.type == "tool_use":
            if not block.id.startswith("toolu_01"):
                found.append(f"block {i}: tool use id {block.id!r}")
            if (block.name, block.input) != (WEATHER_TOOL["name"], spec["input"]):
                found.append(f"block {i}: called {block.name}({block.input})")
            output += wire.estimate_tokens(json.dumps(block.input))
    if defined.max_tokens:
        stop = ("max_tokens", budget)
    else:
        called = any(block["type"] == "tool_use" for block in defined.content)
        stop = (defined.stop_reason or ("tool_use" if called else "end_turn"), output)
    if (message.stop_reason, message.usage.output_tokens) != stop:
        found.append(
            f"stop_reason/output_tokens {message.stop_reason}/{message.usage.output_tokens}, "
            f"defined {stop[0]}/{stop[1]}"
        )
    if message.model not in models.known() or not message.id.startswith("msg_01"):
        found.append(f"model {message.model!r}, id {message.id!r}")
    return found
