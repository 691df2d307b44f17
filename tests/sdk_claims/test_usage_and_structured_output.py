"""What guides/usage.md and guides/structured-output.md say the SDK does, tried against it.

Same method as the rest of tests/sdk_claims/: make the installed SDK do the thing with a
canned answer, then check the page still says it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import typing

import anthropic
import httpx2
import pydantic
import pytest
from anthropic.lib.streaming import _types as helper_types
from anthropic.types import CacheCreation, MessageDeltaUsage, Usage
from anthropic.types.cache_control_ephemeral_param import CacheControlEphemeralParam

from streamdocs.emulator.canned import (
    REQUEST,
    START,
    Body,
    async_client_serving,
    client_serving,
    end,
    sse,
    text_block,
)
from streamdocs.paths import CASSETTES
from streamdocs.recording import cassettes
from tests.sdk_claims import never_says, says

USAGE = "guides/usage.md"
STRUCTURED = "guides/structured-output.md"


# --- usage -------------------------------------------------------------------------------


def test_only_the_token_counts_are_documented_as_cumulative():
    """T40: server_tool_use and output_tokens_details are copied over but not "cumulative",
    and there is no cache_creation breakdown on message_delta."""
    source = inspect.getsource(MessageDeltaUsage)
    cumulative = set(re.findall(r'(\w+): [^\n]*\n\s+"""The cumulative number', source))
    others = set(MessageDeltaUsage.model_fields) - cumulative
    assert cumulative == {
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "input_tokens",
        "output_tokens",
    }
    assert others == {"server_tool_use", "output_tokens_details"}
    assert "cache_creation" not in MessageDeltaUsage.model_fields
    says(USAGE, "every token count of `MessageDeltaUsage`", *(f"`{name}`" for name in others))
    says(USAGE, "no `cache_creation` breakdown")


def test_the_cache_creation_breakdown_stays_message_starts():
    """T40: a larger cache write in message_delta leaves the TTL breakdown behind."""
    start = cached_start(input_tokens=21, output_tokens=1, cache_creation_input_tokens=100)
    start["message"]["usage"]["cache_creation"] = {
        "ephemeral_5m_input_tokens": 100,
        "ephemeral_1h_input_tokens": 0,
    }
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 9, "cache_creation_input_tokens": 150},
    }
    events = [start, *text_block(0, "a"), delta, {"type": "message_stop"}]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        usage = stream.get_final_message().usage
    assert usage.cache_creation_input_tokens == 150
    assert usage.cache_creation.ephemeral_5m_input_tokens == 100
    says(USAGE, "the `cache_creation` breakdown by TTL comes from `message_start` only")


def test_with_server_tools_the_final_input_count_is_message_deltas():
    """T5: message_start's input count is not final when message_delta raises it."""
    start = cached_start(input_tokens=2679, output_tokens=3)
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {
            "input_tokens": 10682,
            "output_tokens": 510,
            "server_tool_use": {"web_search_requests": 1},
        },
    }
    events = [start, *text_block(0, "a"), delta, {"type": "message_stop"}]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        usage = stream.get_final_message().usage
    assert (usage.input_tokens, usage.server_tool_use.web_search_requests) == (10682, 1)
    says(USAGE, "The input side is final only for a request without server tools")
    says(USAGE, "`message_start`'s counts are a lower bound")
    never_says(USAGE, "The input side is final: `input_tokens`")


def test_every_message_delta_count_is_documented_as_cumulative():
    counts = [
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "input_tokens",
        "output_tokens",
    ]
    source = inspect.getsource(MessageDeltaUsage)  # the SDK documents fields in docstrings
    for name in counts:
        assert re.search(name + r': .*\n\s+"""The cumulative number', source), name
    # optional there, so the SDK keeps message_start's value when one is left out
    for name in counts[:3]:
        assert MessageDeltaUsage.model_fields[name].is_required() is False
    says(USAGE, 'documented as "the cumulative number"', "cumulative")


def cached_start(**usage: int) -> dict:
    return {**START, "message": {**START["message"], "usage": usage}}


def test_final_usage_keeps_message_start_counts_message_delta_leaves_out():
    start = cached_start(
        input_tokens=21,
        output_tokens=1,
        cache_creation_input_tokens=1671,
        cache_read_input_tokens=0,
    )
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 33, "cache_read_input_tokens": 5},
    }
    events = [start, *text_block(0, "a"), delta, {"type": "message_stop"}]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        usage = stream.get_final_message().usage
    # left out: message_start's; repeated: replaced, never added
    assert (usage.input_tokens, usage.cache_creation_input_tokens) == (21, 1671)
    assert (usage.cache_read_input_tokens, usage.output_tokens) == (5, 33)
    says(
        USAGE,
        "keeps `message_start`'s value for a count `message_delta` leaves out",
        "replaces it when `message_delta` repeats it",
    )


def test_adding_the_two_events_counts_double():
    """The page's numbers: message_start 20/1, message_delta 20/136, the message 20/136."""
    events = [START, *text_block(0, "a"), *end(input_tokens=20, output_tokens=136)]
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        seen = [e for e in stream if e.type in ("message_start", "message_delta")]
        usage = stream.get_final_message().usage
    summed_input = sum(e.message.usage.input_tokens if e.type == "message_start" else
                       e.usage.input_tokens for e in seen)  # fmt: skip
    assert (summed_input, usage.input_tokens, usage.output_tokens) == (40, 20, 136)
    says(USAGE, "`input_tokens=20, output_tokens=1`", "`input_tokens=20, output_tokens=136`")
    # T44: those numbers are the recorded answer's, and the page says where it came from
    cassette = cassettes.load(CASSETTES / "usage_cumulative.yaml")
    body = cassette["interactions"][0]["response"]["body"]["string"]
    usage = {
        name: json.loads(re.search(rf"event: {name}\ndata: (.*)", body)[1])
        for name in ("message_start", "message_delta")
    }
    start, delta = usage["message_start"]["message"]["usage"], usage["message_delta"]["usage"]
    says(
        USAGE,
        f"`input_tokens={start['input_tokens']}, output_tokens={start['output_tokens']}`",
        f"`input_tokens={delta['input_tokens']}, output_tokens={delta['output_tokens']}`",
    )
    if cassette["recorded"]["source"] == "local emulator":
        says(USAGE, "as the project's emulator streams it")


def test_cache_fields_and_ttls_the_page_names():
    assert set(CacheCreation.model_fields) == {
        "ephemeral_5m_input_tokens",
        "ephemeral_1h_input_tokens",
    }
    hints = typing.get_type_hints(CacheControlEphemeralParam)
    assert typing.get_args(hints["ttl"]) == ("5m", "1h")
    assert typing.get_args(hints["type"]) == ("ephemeral",)
    for name in ("cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation"):
        assert Usage.model_fields[name].is_required() is False  # may be None
    assert "cache_control" in typing.get_type_hints(anthropic.resources.Messages.stream)
    says(
        USAGE,
        'accepts `"5m"` and `"1h"`',
        "`ephemeral_5m_input_tokens`, `ephemeral_1h_input_tokens`",
        "also takes a top-level `cache_control`",
        "the cache counts may also be `None`",
    )


def test_the_caching_samples_prefix_is_above_every_models_minimum():
    """T14: a listed minimum may not be the live one, so the lease clears the largest of
    them with a margin, counting no more than one token per word (a floor for prose)."""
    from streamdocs.emulator import models

    minimums = [entry.cache_min_tokens for entry in models.table().models]
    cassette = cassettes.load(CASSETTES / "prompt_caching.yaml")
    sent = cassette["interactions"][0]["request"]["body"]["json"]
    words = len(sent["system"][0]["text"].split())
    largest = max(minimums)
    assert words >= 1.5 * largest, f"the lease is {words} words, under 1.5 x {largest}"
    says(USAGE, f"from {min(minimums):,} to {largest:,} tokens", "above every model's minimum")


def test_after_a_mid_stream_failure_the_snapshot_has_only_message_start_usage():
    start = cached_start(input_tokens=18, output_tokens=1, cache_read_input_tokens=0)
    body = Body([sse(start, *text_block(0, "Half of it"))], httpx2.RemoteProtocolError("cut"))
    with pytest.raises(anthropic.APIConnectionError):
        with client_serving(body).messages.stream(**REQUEST) as stream:
            stream.until_done()
    snapshot = stream.current_message_snapshot
    assert snapshot.content[0].text == "Half of it"
    assert (snapshot.usage.input_tokens, snapshot.usage.output_tokens) == (18, 1)
    assert snapshot.stop_reason is None
    says(
        USAGE,
        "its `output_tokens` is still `message_start`'s starting count",
        "`message_delta` carries the only cumulative `output_tokens`",
    )


# --- structured output -------------------------------------------------------------------


class Forecast(pydantic.BaseModel):
    city: str
    high_c: int
    summary: str


WHOLE = '{"city": "Paris", "high_c": 19, "summary": "Mild and dry."}'


def structured_events(text: str, stop_reason: str = "end_turn") -> bytes:
    pieces = [text[:9], text[9:30], text[30:]]
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": 12},
    }
    return sse(START, *text_block(0, *pieces), delta, {"type": "message_stop"})


def test_output_format_sends_the_schema_and_parses_the_final_message():
    sent: list = []
    client = client_serving(structured_events(WHOLE), sent=sent)
    with client.messages.stream(**REQUEST, output_format=Forecast) as stream:
        message = stream.get_final_message()
    assert message.parsed_output == Forecast(city="Paris", high_c=19, summary="Mild and dry.")
    format_sent = json.loads(sent[0].content)["output_config"]["format"]
    assert format_sent == {"type": "json_schema", "schema": anthropic.transform_schema(Forecast)}
    assert format_sent["schema"]["additionalProperties"] is False
    says(STRUCTURED, "get_final_message().parsed_output` is a `Forecast`")


@pytest.mark.parametrize(("kind", "text", "value"), [(list[str], "[]", []), (int, "0", 0)])
def test_a_falsy_parsed_value_leaves_the_message_parsed_output_none(kind, text, value):
    """T22: ParsedMessage.parsed_output skips a falsy block value."""
    client = client_serving(structured_events(text))
    with client.messages.stream(**REQUEST, output_format=kind) as stream:
        message = stream.get_final_message()
    assert message.content[0].parsed_output == value
    assert message.parsed_output is None
    says("reference/helpers.md", "also when the parsed value is falsy")
    says("reference/request-parameters.md", "`None` for a falsy result such as `[]` or `0`")


def test_output_format_refuses_a_schema_dict():
    client = client_serving(Body([structured_events(WHOLE)]))
    with pytest.raises(TypeError, match=r"output_config=\{'format'"):
        client.messages.stream(**REQUEST, output_format={"type": "object"})
    says(STRUCTURED, "a schema dict raises `TypeError`")


@pytest.mark.parametrize(
    ("text", "stop_reason"),
    [(WHOLE[:20], "max_tokens"), ("I can't help with that.", "refusal")],
)
def test_cut_or_refused_json_raises_at_content_block_stop_before_stop_reason(text, stop_reason):
    client = client_serving(Body([structured_events(text, stop_reason)]))
    seen = []
    with pytest.raises(pydantic.ValidationError):
        with client.messages.stream(**REQUEST, output_format=Forecast) as stream:
            for event in stream:
                seen.append(event.type)
    assert "content_block_stop" not in seen and "message_delta" not in seen
    assert stream.current_message_snapshot.stop_reason is None
    assert stream.current_message_snapshot.content[0].text == text
    says(
        STRUCTURED,
        "raises `pydantic.ValidationError` out of your loop, at `content_block_stop`",
        "`stream.current_message_snapshot.stop_reason` is still `None`",
    )


def test_without_output_format_the_same_text_raises_nothing():
    client = client_serving(Body([structured_events(WHOLE[:20], "max_tokens")]))
    schema = {"type": "json_schema", "schema": anthropic.transform_schema(Forecast)}
    with client.messages.stream(**REQUEST, output_config={"format": schema}) as stream:
        message = stream.get_final_message()
    assert (message.stop_reason, message.parsed_output) == ("max_tokens", None)
    says(STRUCTURED, "passes the schema itself so that it can read `stop_reason` first")


def test_text_event_parsed_snapshot_is_partial_and_raises_on_prose():
    partial = '{"city": "Paris", "high_c": 19, "summary": "Mild'
    client = client_serving(Body([structured_events(partial, "max_tokens")]))
    with client.messages.stream(**REQUEST) as stream:
        last = [e for e in stream if e.type == "text"][-1]
    assert last.parsed_snapshot() == {"city": "Paris", "high_c": 19, "summary": "Mild"}
    client = client_serving(Body([structured_events("I can't help with that.", "refusal")]))
    with client.messages.stream(**REQUEST) as stream:
        prose = [e for e in stream if e.type == "text"][-1]
    with pytest.raises(ValueError):
        prose.parsed_snapshot()
    says(
        STRUCTURED,
        "`{'city': 'Paris', 'high_c': 19, 'summary': 'Mild'}`",
        "It raises `ValueError` when the text is not JSON",
    )


def test_transform_schema_makes_objects_strict_and_moves_minimum_to_the_description():
    class Bounded(pydantic.BaseModel):
        days: int = pydantic.Field(ge=1)

    schema = anthropic.transform_schema(Bounded)
    assert schema["additionalProperties"] is False
    days = schema["properties"]["days"]
    assert "minimum" not in days and "minimum: 1" in days["description"]
    says(STRUCTURED, '`"additionalProperties": false` on every object', "field's `minimum`")


def test_the_async_stream_raises_at_the_same_point():
    body = structured_events(WHOLE[:20], "max_tokens")

    async def run() -> list[str]:
        seen: list[str] = []
        async with async_client_serving(body) as client:
            with pytest.raises(pydantic.ValidationError):
                async with client.messages.stream(**REQUEST, output_format=Forecast) as stream:
                    async for event in stream:
                        seen.append(event.type)
        return seen

    seen = asyncio.run(run())
    assert "text" in seen and "content_block_stop" not in seen
    says(STRUCTURED, "for `AsyncMessageStream` too")


def test_the_last_field_of_a_snapshot_may_be_unfinished_and_an_empty_key_is_left_out():
    def snapshot(text: str):
        return helper_types.TextEvent(type="text", text="", snapshot=text).parsed_snapshot()

    assert snapshot('{"city": "Paris", "high_c": 1')["high_c"] == 1  # "19" not yet whole
    assert snapshot('{"city": "Paris", "high_c": ') == {"city": "Paris"}
    says(
        STRUCTURED,
        '`"high_c": 1` may yet become `19`',
        "A key whose value has not begun is left out.",
    )
