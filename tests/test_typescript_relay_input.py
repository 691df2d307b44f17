"""The TypeScript relay (snippets/ts/relay_app.ts) on what reaches it in pieces and what it
waits for: a question whose bytes arrive in two packets, split inside a character, reaches
the API whole; the wait for the API's response headers has the relay's own bound, as the
Python relay's 60 s timeout bounds it (browser.md)."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest

from streamdocs.emulator import Emulator
from streamdocs.paths import TYPESCRIPT
from streamdocs.samples import runner
from tests.sdk_claims import says

RELAY = TYPESCRIPT / "relay_app.ts"
TOKENS = {"RELAY_TOKENS": "reader:relay-test-token"}


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


def post_in_two_packets(port: int, body: bytes, split: int) -> str:
    """POST /chat with the body sent as two writes, a pause between: as a slow network
    delivers it, each packet a separate read on the server."""
    head = (
        "POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Authorization: Bearer relay-test-token\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(head + body[:split])
        time.sleep(0.3)
        sock.sendall(body[split:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


def test_a_question_split_inside_a_character_reaches_the_api_whole(emulator, emulator_env):
    emulator_env(emulator)
    question = "Écris un haïku sur la mer, merci — 海"
    body = json.dumps({"message": question}, ensure_ascii=False).encode()
    split = body.index("海".encode()) + 1  # inside the last character's three bytes
    seen = len(emulator.requests)
    with runner.node_server(RELAY, {**os.environ, **TOKENS}) as (port, _):
        answer = post_in_two_packets(port, body, split)
    assert "event: done" in answer, answer
    sent = [r["json"] for r in emulator.requests[seen:] if r["path"].endswith("/messages")]
    assert sent and sent[0]["messages"][0]["content"] == question, sent


def test_the_wait_for_the_response_headers_has_the_relays_bound(emulator, emulator_env):
    """The SDK tells the API how long it waits for the response (X-Stainless-Timeout, in
    seconds): the relay's 60 s, not the SDK's default of 600 s per attempt."""
    emulator_env(emulator)
    seen = len(emulator.requests)
    with runner.node_server(RELAY, {**os.environ, **TOKENS}) as (port, _):
        status, answer = runner.post_json(
            port, "/chat", {"message": "Hi"}, {"Authorization": "Bearer relay-test-token"}
        )
    assert status == 200 and "event: done" in answer, answer
    sent = [r for r in emulator.requests[seen:] if r["path"].endswith("/messages")]
    assert sent[0]["headers"]["x-stainless-timeout"] == "60"
    says(
        "guides/browser.md",
        "The client's `timeout` of 60 s bounds the wait for the response's headers",
    )


@pytest.mark.parametrize("tokens", ["alice:tok-a,bob:", "alice:tok-a,bob", ""])
def test_an_entry_without_a_token_stops_the_start(tokens):
    """As the Python relay: every entry of RELAY_TOKENS is user:token, or the relay does
    not start (an entry it skipped would leave its user locked out without a word)."""
    with runner.node_server(RELAY, {**os.environ, "RELAY_TOKENS": tokens}) as (port, printed):
        assert port is None, "it started"
    entry = tokens.split(",")[-1]
    assert printed().strip() == f"RELAY_TOKENS: '{entry}' is not user:token", printed()
    says("guides/browser.md", "An entry without a token stops the start with")
