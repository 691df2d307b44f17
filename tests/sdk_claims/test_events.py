"""What the two iterators yield, and the event flow the pages draw."""

from __future__ import annotations

import json
import time
import typing
from pathlib import Path

import anthropic
import httpx2
import pytest
from anthropic.lib.streaming import _types as helper_types
from anthropic.types.parsed_message import ParsedMessage

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, end, sse, text_block
from streamdocs.paths import CASSETTES, DOCS, SNIPPETS, rel
from streamdocs.recording import cassettes
from streamdocs.sdk_types import type_literal, union_members
from tests.sdk_claims import never_says, says

# --- events (python-events.md, raw-vs-helper.md, concepts.md) ---------------------------------


def test_neither_iterator_yields_ping_or_error():
    """Finding 24: "every event" is every event but these."""
    events = [START, {"type": "ping"}, *text_block(0, "a"), *end()]
    helper = [
        e.type for e in client_serving(Body([sse(*events)])).messages.stream(**REQUEST).__enter__()
    ]
    raw = [
        e.type for e in client_serving(Body([sse(*events)])).messages.create(**REQUEST, stream=True)
    ]
    assert "ping" not in helper and "ping" not in raw
    failing = [START, {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}]
    with pytest.raises(anthropic.APIStatusError):
        list(client_serving(Body([sse(*failing)])).messages.create(**REQUEST, stream=True))
    says("guides/python-events.md", "`ping`", "`error`")
    says("guides/raw-vs-helper.md", "`ping`")
    never_says("guides/raw-vs-helper.md", "Both send the same request.")


def test_text_event_snapshot_is_its_blocks_text():
    """Finding 26: not the whole message."""
    events = [START, *text_block(0, "one"), *text_block(1, "two"), *end()]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        with pytest.raises(AssertionError):
            stream.current_message_snapshot  # noqa: B018
        snapshots = [e.snapshot for e in stream if e.type == "text"]
    assert snapshots == ["one", "two"]
    assert "snapshot" in helper_types.TextEvent.model_fields
    says("concepts.md", "the text of its own block so far", "`AssertionError`")


def _cited_block(index: int, text: str) -> list[dict]:
    citation = {
        "type": "web_search_result_location",
        "cited_text": text,
        "url": f"https://example.com/{index}",
        "title": "t",
        "encrypted_index": "e",
    }
    start, *deltas, stop = text_block(index, text)
    start["content_block"]["citations"] = []
    cite = {"type": "citations_delta", "citation": citation}
    return [start, {"type": "content_block_delta", "index": index, "delta": cite}, *deltas, stop]


def test_snapshots_start_again_with_each_block_as_the_api_pages_warn():
    """T17: the SDK's docstrings say "entire" and "all"; the snapshots are per block."""
    events = [START, *_cited_block(0, "one"), *_cited_block(1, "two"), *end()]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        seen = [(e.type, e.snapshot) for e in stream if e.type in ("text", "citation")]
    assert [s for t, s in seen if t == "text"] == ["one", "two"]
    assert [len(s) for t, s in seen if t == "citation"] == [1, 1]
    says(
        "reference/api/helper-events.md",
        "not the whole message's: it starts again at each new text block",
        "not every citation of the message: it starts again with each block",
    )


def test_the_helper_yields_the_parsed_stop_events_not_the_exported_ones():
    """T18: MessageStopEvent and ContentBlockStopEvent are exported but never yielded."""
    events = [START, *text_block(0, "a"), *end()]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        stops = {e.type: e for e in stream if e.type.endswith("_stop")}
    assert type(stops["message_stop"]) is helper_types.ParsedMessageStopEvent
    assert type(stops["content_block_stop"]) is helper_types.ParsedContentBlockStopEvent
    assert not isinstance(stops["message_stop"], helper_types.MessageStopEvent)
    assert not isinstance(stops["content_block_stop"], helper_types.ContentBlockStopEvent)
    assert isinstance(stops["message_stop"].message, ParsedMessage)
    page = "reference/api/helper-events.md"
    says(page, "`isinstance(event, MessageStopEvent)` is always false", "by `event.type`")
    says(page, "::: anthropic.lib.streaming._types.ParsedMessageStopEvent")
    never_says(page, "::: anthropic.lib.streaming._types.MessageStopEvent")
    never_says("reference/events.md", "_types.MessageStopEvent]")


def test_get_final_text_joins_the_text_blocks_and_no_sample_relies_on_it():
    """T2: it joins every text block and raises RuntimeError without one; the samples join
    the blocks themselves, so the API pages must not say the site uses it."""
    two = Body([sse(START, *text_block(0, "one "), *text_block(1, "two"), *end())])
    with client_serving(two).messages.stream(**REQUEST) as stream:
        assert stream.get_final_text() == "one two"
    tool = {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
    only_tool = [
        START,
        {"type": "content_block_start", "index": 0, "content_block": tool},
        {"type": "content_block_stop", "index": 0},
        *end(stop_reason="tool_use"),
    ]
    with client_serving(Body([sse(*only_tool)])).messages.stream(**REQUEST) as stream:
        with pytest.raises(RuntimeError):
            stream.get_final_text()
    callers = [p.name for p in SNIPPETS.glob("*.py") if ".get_final_text(" in p.read_text()]
    assert not callers, f"samples now call get_final_text(): {callers}; revise the API pages"
    for page in ("reference/api/streaming.md", "reference/api/async-streaming.md"):
        never_says(page, "which is why this site uses it")
        says(page, "The samples on this site join the `text` blocks themselves")


def test_usage_of_message_delta_overrides_message_start():
    """Finding 3, 13: message_delta repeats input; the SDK takes it as the total."""
    events = [START, *text_block(0, "a"), *end(input_tokens=25, output_tokens=7)]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        usage = stream.get_final_message().usage
    assert (usage.input_tokens, usage.output_tokens) == (25, 7)
    never_says("troubleshooting/production.md", "several times")
    never_says("troubleshooting/index.md", "several times")


def test_parsed_output_always_exists():
    """Finding 16."""
    assert isinstance(vars(ParsedMessage).get("parsed_output"), property)
    body = Body([sse(START, *text_block(0, "a"), *end())])
    with client_serving(body).messages.stream(**REQUEST) as stream:
        assert stream.get_final_message().parsed_output is None
    says("reference/helpers.md", "`parsed_output`, which is `None`")


def test_nothing_in_the_sdk_or_httpx2_asks_for_the_current_event_loop():
    """Finding 14: 'There is no current event loop' comes from code that calls
    asyncio.get_event_loop() outside a loop; neither the SDK nor httpx2 does."""
    callers = [
        rel(path) if path.is_relative_to(DOCS.parent) else str(path)
        for package in (anthropic, httpx2)
        for path in Path(package.__file__).parent.rglob("*.py")
        if "get_event_loop()" in path.read_text(encoding="utf-8")
    ]
    assert not callers, f"now calls asyncio.get_event_loop(): {callers}; revise errors.md"
    never_says(
        "troubleshooting/errors.md", "The async client was used outside a running event loop"
    )


def test_an_async_client_kept_across_two_event_loops():
    """T33: 'Event loop is closed' arrives as the cause of an APIConnectionError, or, with
    retries, not at all: the request is sent again, after the API received it once."""
    import asyncio

    from streamdocs.emulator.server import Emulator

    hello = {**REQUEST, "model": "claude-sonnet-4-6"}
    with Emulator() as emulator:
        for retries, outcome in ((0, "raised"), (1, "answered")):
            client = anthropic.AsyncAnthropic(
                api_key="sk-ant-claims", base_url=emulator.url, max_retries=retries
            )
            asyncio.run(client.messages.create(**hello))
            before = len(emulator.requests)
            try:
                asyncio.run(client.messages.create(**hello))
                seen = "answered"
            except anthropic.APIConnectionError as error:
                assert isinstance(error.__cause__, RuntimeError)
                assert str(error.__cause__) == "Event loop is closed"
                seen = "raised"
            assert seen == outcome
            # the dead loop's one too: sent whole before its reply failed (the emulator's
            # thread may record it a moment after the client has given up)
            deadline = time.monotonic() + 5
            while len(emulator.requests) - before < 1 + retries and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(emulator.requests) - before == 1 + retries
    says("troubleshooting/errors.md", "after the API has received the request twice")
    says("troubleshooting/index.md", "also as the cause of an `APIConnectionError`")


# --- the event flow (concepts.md, curl.md, events.md) ---------------------------------------------


def test_an_error_event_can_end_a_200_stream_before_message_start():
    """Finding 21: not every stream has the message_start ... message_stop shape."""
    failing = Body([sse({"type": "error", "error": {"type": "overloaded_error", "message": "x"}})])
    with pytest.raises(anthropic.APIStatusError) as caught:
        with client_serving(failing).messages.stream(**REQUEST) as stream:
            stream.until_done()
    assert caught.value.status_code == 200
    never_says("concepts.md", "Every stream follows the same shape")
    for page in ("concepts.md", "reference/events.md"):
        says(page, "An `error` event can end a `200` stream at any point")


def test_the_sdk_takes_the_last_of_several_message_deltas():
    """T20: Anthropic's flow says "one or more message_delta events"; each overwrites."""
    first, _ = end(output_tokens=5, stop_reason="end_turn")
    first["delta"]["stop_reason"] = None
    events = [START, *text_block(0, "a"), first, *end(input_tokens=30, output_tokens=9)]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        message = stream.get_final_message()
    assert (message.stop_reason, message.usage.output_tokens) == ("end_turn", 9)
    assert message.usage.input_tokens == 30
    says("reference/events.md", "then one or more `message_delta` events")
    says("concepts.md", "then one or more `message_delta` events, the last with the stop reason")
    never_says("reference/events.md", "then one `message_delta`")


def test_raw_events_yields_ping_and_error_the_other_iterators_drop():
    """T25: Stream.raw_events() is the SDK's third, public iterator."""
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}
    body = sse(START, {"type": "ping"}, *text_block(0, "a"), error)
    response = httpx2.Response(200, content=body)
    names = [event.event for event in anthropic.Stream.raw_events(response)]
    assert "ping" in names and names[-1] == "error"
    says("reference/events.md", "only `Stream.raw_events()`, which parses nothing")
    says("concepts.md", "all but `Stream.raw_events()`")
    never_says("reference/events.md", "neither iterator yields it", "Neither of the SDK's")


def test_the_sdk_skips_events_without_an_event_line():
    """T12: an SSE event without `event:` is named "message" by SSE; the SDK drops it."""
    framed = sse(START, *text_block(0, "a"), *end())
    unnamed = b"\n".join(line for line in framed.split(b"\n") if not line.startswith(b"event:"))
    with client_serving(Body([unnamed])).messages.stream(**REQUEST) as stream:
        assert [event.type for event in stream] == []
    says("guides/python-events.md", "an event that has no `event:` line")


def test_ping_placement_follows_the_wire_brief():
    """Finding 30: not "anywhere"; where it appears, and that it may be absent."""
    for page in ("concepts.md", "guides/curl.md", "reference/events.md"):
        never_says(page, "may appear anywhere", "can appear anywhere")
        says(page, "may be absent", "can repeat back to back")


def test_the_helper_sends_the_raw_body_plus_its_own_headers():
    """Finding 20: same body; the helper adds x-stainless-helper-method."""
    seen: list = []
    client = client_serving(sse(START, *end()), sent=seen)
    with client.messages.stream(**REQUEST) as stream:
        stream.until_done()
    with client.messages.create(**REQUEST, stream=True) as raw:
        list(raw)
    helper, plain = seen
    assert json.loads(helper.content) == json.loads(plain.content)
    only_helper = {k: v for k, v in helper.headers.items() if k not in plain.headers}
    assert only_helper.get("x-stainless-helper-method") == "stream"
    # T32: every header only the helper sends is named
    says(
        "guides/raw-vs-helper.md",
        "Both send the same body",
        *(f"`{name}: {value}`" for name, value in sorted(only_helper.items())),
    )
    bodies = {
        name: cassettes.load(CASSETTES / f"{name}.yaml")["interactions"][0]["request"]["body"]
        for name in ("text_stream", "raw_stream")
    }
    assert bodies["text_stream"] == bodies["raw_stream"], (
        "the page says text_stream.py and raw_stream.py send the same body; they do not "
        f"(cassettes/): {bodies}"
    )


def test_the_first_block_can_be_any_of_the_types_the_pages_name():
    """Finding 15, 25: the block types the pages name exist, and the thinking display knob."""
    from anthropic.types import ContentBlock
    from anthropic.types.thinking_config_adaptive_param import ThinkingConfigAdaptiveParam

    types_ = {type_literal(member) for member in union_members(ContentBlock)}
    named = {"thinking", "redacted_thinking", "tool_use", "server_tool_use", "text"}
    assert named <= types_, f"not block types of the SDK: {named - types_}"
    assert "omitted" in str(ThinkingConfigAdaptiveParam.__annotations__["display"])
    says("troubleshooting/text.md", "`redacted_thinking`", "`server_tool_use`", "citations")
    says("guides/python-events.md", "`redacted_thinking`", '`"omitted"`')
    never_says("troubleshooting/text.md", "with tools a `tool_use` block may follow")


def _omitted_thinking(with_empty_delta: bool) -> list[dict]:
    start = {"type": "thinking", "thinking": "", "signature": ""}
    empty = {"type": "thinking_delta", "thinking": ""}
    signature = {"type": "signature_delta", "signature": "EqQBCkYIARgC"}
    return [
        {"type": "content_block_start", "index": 0, "content_block": start},
        *(
            [{"type": "content_block_delta", "index": 0, "delta": empty}]
            if with_empty_delta
            else []
        ),
        {"type": "content_block_delta", "index": 0, "delta": signature},
        {"type": "content_block_stop", "index": 0},
    ]


@pytest.mark.parametrize("with_empty_delta", [True, False], ids=["empty_delta", "signature_only"])
def test_an_omitted_thinking_block_gives_no_text_in_either_documented_shape(with_empty_delta):
    """T23, T39, T48: with display "omitted" no thinking text arrives; Anthropic's pages
    differ on whether one empty thinking_delta comes, and the pages say both."""
    events = [START, *_omitted_thinking(with_empty_delta), *text_block(1, "Hi"), *end()]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        seen = [e for e in stream if e.type in ("thinking", "signature")]
        block = stream.get_final_message().content[0]
    assert "".join(e.thinking for e in seen if e.type == "thinking") == ""
    assert [e.signature for e in seen if e.type == "signature"] == ["EqQBCkYIARgC"]
    assert (block.type, block.thinking, block.signature) == ("thinking", "", "EqQBCkYIARgC")
    says(
        "guides/thinking.md",
        "its streaming page says one `thinking_delta` with an empty `thinking`",
        "that no `thinking_delta` comes at all",
        "unless its text is omitted",
        '`"display": "summarized"`',
    )
    says("reference/request-parameters.md", "no thinking text arrives, only the signature")
    never_says("reference/request-parameters.md", "Streams as `thinking_delta` events. |")


def test_the_thinking_row_names_every_thinking_type():
    """T23: the SDK's ThinkingConfigParam accepts four types."""
    from anthropic.types import ThinkingConfigParam

    hints = [typing.get_type_hints(member) for member in typing.get_args(ThinkingConfigParam)]
    kinds = {typing.get_args(hint["type"])[0] for hint in hints}
    assert kinds == {"adaptive", "enabled", "disabled", "between_tools"}
    says("reference/request-parameters.md", *(f'`{{"type": "{kind}"' for kind in sorted(kinds)))
