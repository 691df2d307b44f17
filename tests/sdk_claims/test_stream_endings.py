"""How a stream ends: early, cut, malformed, or left with `break`."""

from __future__ import annotations

import json

import anthropic
import httpx2
import pytest

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, end, sse, text_block
from tests.sdk_claims import never_says, says

# --- how a stream ends (exceptions.md, errors.md, complete-example.md) ------------------------


def test_a_clean_early_end_raises_nothing_and_leaves_stop_reason_none():
    """Finding 2: the SDK does not check that message_stop arrived."""
    client = client_serving(Body([sse(START, *text_block(0, "Hi", " there"))]))
    with client.messages.stream(**REQUEST) as stream:
        message = stream.get_final_message()
    assert message.stop_reason is None and stream.get_final_text() == "Hi there"
    for page in ("reference/exceptions.md", "complete-example.md"):
        says(page, "`stop_reason` is `None`")
    never_says("reference/exceptions.md", "closed before `message_stop`")
    never_says("troubleshooting/errors.md", "closed before `message_stop`")


def test_a_cut_before_message_start_is_not_retried():
    """Finding 11: the boundary is the 200 response, not the first event."""
    sent: list = []
    body = Body([b""], httpx2.RemoteProtocolError("cut"))
    client = client_serving(body, sent=sent, max_retries=2)
    with client.messages.stream(**REQUEST) as stream:  # the 200 arrived: nothing raised yet
        with pytest.raises(anthropic.APIConnectionError):
            stream.until_done()
    assert len(sent) == 1
    says("reference/exceptions.md", "Once the `200` response has arrived")
    never_says("reference/exceptions.md", "Once the first event has arrived")


def test_exceptions_that_do_not_derive_from_anthropic_error():
    """Finding 10: the page lists these."""
    bad = Body([sse(START)[:-2] + b"\n" + b"event: content_block_start\ndata: {nope\n\n"])
    with pytest.raises(json.JSONDecodeError):
        with client_serving(bad).messages.stream(**REQUEST) as stream:
            stream.until_done()
    tool = [
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"a": yes]'},
        },
    ]
    with pytest.raises(ValueError):
        with client_serving(Body([sse(START, *tool)])).messages.stream(**REQUEST) as stream:
            stream.until_done()
    with pytest.raises(AssertionError):
        with client_serving(Body([b""])).messages.stream(**REQUEST) as stream:
            stream.get_final_message()
    assert not issubclass(json.JSONDecodeError, anthropic.AnthropicError)
    says(
        "reference/exceptions.md",
        "`json.JSONDecodeError`",
        "`ValueError`",
        "`AssertionError`",
        "`TypeError`",
    )


def test_break_leaves_the_connection_open_until_the_with_block_ends():
    """Finding 4, 23: closing happens when the `with` exits, not at `break`."""
    body = Body([sse(START, *text_block(0, "a", "b", "c"), *end())])
    with client_serving(body).messages.stream(**REQUEST) as stream:
        for _ in stream.text_stream:
            break
        assert not stream.response.is_closed
    assert stream.response.is_closed
    raw_body = Body([sse(START, *text_block(0, "a", "b", "c"), *end())])
    raw = client_serving(raw_body).messages.create(**REQUEST, stream=True)
    for _ in raw:
        break
    assert not raw.response.is_closed
    raw.close()
    says("index.md", "Leave the `with` block and the connection closes")
    says("guides/python-sync.md", "Bad file descriptor")


def test_get_final_message_after_break_outside_the_block_is_a_bad_file_descriptor():
    """Finding 23: against a real socket (the emulator), as a reader would meet it."""
    from streamdocs.emulator.server import Emulator

    with Emulator(delay=0.005) as emulator:
        client = anthropic.Anthropic(api_key="sk-ant-claims", base_url=emulator.url, max_retries=0)
        request = {**REQUEST, "messages": [{"role": "user", "content": "Tell me a story."}]}
        with client.messages.stream(**request) as stream:
            for _ in stream.text_stream:
                break
        with pytest.raises(anthropic.APIConnectionError, match="Bad file descriptor"):
            stream.get_final_message()
    says(
        "guides/python-sync.md",
        "`anthropic.APIConnectionError: Connection to ... failed: [Errno 9] Bad file descriptor`",
    )
