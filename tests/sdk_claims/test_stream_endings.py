"""How a stream ends: early, cut, malformed, or left with `break`."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

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


def test_under_python_o_the_assertion_is_gone_and_none_comes_back():
    """T16: the AssertionError before message_start is a bare assert."""
    code = (
        "from streamdocs.emulator.canned import REQUEST, Body, client_serving\n"
        "with client_serving(Body([b''])).messages.stream(**REQUEST) as stream:\n"
        "    print(stream.get_final_message(), stream.current_message_snapshot)\n"
    )
    run = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stdout) == (0, "None None\n"), run.stderr
    for page in ("reference/exceptions.md", "complete-example.md", "concepts.md"):
        says(page, "under `python -O`")
    says("reference/helpers.md", "under `python -O` it returns `None`")


def test_get_final_message_after_break_reads_the_rest_of_the_answer():
    """T26, T30: after a break it does not return what had arrived; it reads on."""
    body = Body([sse(START, *text_block(0, "a", "b", "c"), *end())])
    with client_serving(body).messages.stream(**REQUEST) as stream:
        for _ in stream.text_stream:
            break
        kept = stream.current_message_snapshot.content[0].text
        message = stream.get_final_message()
    assert kept == "a"
    assert (message.content[0].text, message.stop_reason) == ("abc", "end_turn")
    says("reference/helpers.md", "waits for the rest of the answer")
    never_says("reference/helpers.md", "`get_final_message()` after a loop returns at once")
    says("guides/python-sync.md", "they read the rest of the stream")


def _tool(index: int, tool_id: str, raw: str) -> list[dict]:
    block = {"type": "tool_use", "id": tool_id, "name": "f", "input": {}}
    delta = {"type": "input_json_delta", "partial_json": raw}
    return [
        {"type": "content_block_start", "index": index, "content_block": block},
        {"type": "content_block_delta", "index": index, "delta": delta},
        {"type": "content_block_stop", "index": index},
    ]


def test_the_helpers_tool_json_error_ends_the_stream_for_good():
    """T36: catching the ValueError does not let the helper read on; the later call, the
    stop reason and the final usage are lost, and get_final_message() does not say so."""
    events = [
        START,
        *text_block(0, "Checking."),
        *_tool(1, "toolu_a", '{"location": yes]'),
        *_tool(2, "toolu_b", '{"location": "Paris"}'),
        *end(stop_reason="tool_use"),
    ]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        with pytest.raises(ValueError, match="Unable to parse tool parameter JSON"):
            stream.until_done()
        assert list(stream) == []
        message = stream.get_final_message()
    assert [block.type for block in message.content] == ["text", "tool_use"]
    assert message.stop_reason is None
    says("guides/tool-use.md", "that error ends its stream for good", "without raising")
    never_says("guides/tool-use.md", "read such a tool's stream raw, or catch that error")


def test_a_tool_use_block_sent_back_needs_an_object_input():
    """T37: invalid JSON cannot go back as it came; the page says how to wrap it."""
    from anthropic.types import ToolUseBlockParam

    hints = typing.get_type_hints(ToolUseBlockParam)
    assert typing.get_origin(hints["input"]) is dict
    says("guides/tool-use.md", '`{"INVALID_JSON": raw}`', "with the same `id` and `name`")
