"""The emulator's prompt caching and structured output, through the pinned SDK.

Caching follows Anthropic's prompt caching page: a prefix up to a `cache_control`
breakpoint is written the first time (`cache_creation_input_tokens`, split by TTL in
`cache_creation`), read the next time (`cache_read_input_tokens`), and `input_tokens` counts
only what comes after the last breakpoint. Structured output (`output_config.format`) is
answered with JSON text that validates against the request's schema.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import anthropic
import pydantic
import pytest
from anthropic.types import Message

from streamdocs.emulator import Emulator, wire
from streamdocs.emulator.client import KEY, MODEL

# about 1,500 tokens by the emulator's count: above Sonnet's 1,024, below Haiku 4.5's 4,096
DOCUMENT = "\n".join(f"Clause {n}: the tenant keeps the flat clean." for n in range(1, 141))


@pytest.fixture
def emu():
    """A fresh emulator per test: what one test wrote to the prompt cache stays there."""
    with Emulator() as emulator:
        yield emulator


def system(text: str = DOCUMENT, **cache_control: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": text, "cache_control": {"type": "ephemeral", **cache_control}}]


def body(question: str = "Can I keep a cat?", **extra: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": 256,
        "system": system(),
        "messages": [{"role": "user", "content": question}],
        **extra,
    }


def streamed(emu: Emulator, request: dict[str, Any]) -> tuple[Any, Any, Message]:
    """message_start's usage, message_delta's usage and the SDK's final message."""
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request) as stream:
            events = list(stream)
            final = stream.get_final_message()
    start = next(e for e in events if e.type == "message_start").message.usage
    delta = next(e for e in events if e.type == "message_delta").usage
    return start, delta, final


def total_input(usage: Any) -> int:
    return usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens


# --- prompt caching ---------------------------------------------------------------------


def test_first_request_writes_the_prefix_and_the_second_reads_it(emu):
    start, delta, first = streamed(emu, body())
    written = first.usage.cache_creation_input_tokens
    assert written > wire.min_cacheable(MODEL) and first.usage.cache_read_input_tokens == 0
    assert first.usage.cache_creation.ephemeral_5m_input_tokens == written
    assert first.usage.cache_creation.ephemeral_1h_input_tokens == 0
    # the cache counts come in message_start, and message_delta repeats them as totals
    assert start.cache_creation_input_tokens == delta.cache_creation_input_tokens == written
    # input_tokens is only what follows the breakpoint: the question
    assert first.usage.input_tokens < 40
    assert total_input(first.usage) == wire.input_tokens(body())

    _, _, second = streamed(emu, body("Who pays for repairs?"))
    assert second.usage.cache_read_input_tokens == written
    assert second.usage.cache_creation_input_tokens == 0
    assert second.usage.cache_creation.ephemeral_5m_input_tokens == 0
    assert second.usage.input_tokens < 40


def test_a_changed_prefix_misses_and_writes_again(emu):
    streamed(emu, body())
    changed = body(system=system(DOCUMENT.replace("Clause 70", "Clause LXX")))
    _, _, message = streamed(emu, changed)
    assert message.usage.cache_read_input_tokens == 0
    assert message.usage.cache_creation_input_tokens > wire.min_cacheable(MODEL)


def test_begin_run_empties_the_cache(emu):
    streamed(emu, body())
    emu.begin_run(None)
    _, _, message = streamed(emu, body())
    assert message.usage.cache_read_input_tokens == 0
    assert message.usage.cache_creation_input_tokens > 0


def test_one_hour_ttl_is_counted_apart(emu):
    _, _, message = streamed(emu, body(system=system(ttl="1h")))
    created = message.usage.cache_creation
    assert created.ephemeral_1h_input_tokens == message.usage.cache_creation_input_tokens > 0
    assert created.ephemeral_5m_input_tokens == 0


def test_mixed_ttls_split_the_write_at_the_one_hour_breakpoint(emu):
    blocks = system(ttl="1h") + system("More rules: " + DOCUMENT)
    _, _, message = streamed(emu, body(system=blocks))
    created = message.usage.cache_creation
    assert created.ephemeral_1h_input_tokens > wire.min_cacheable(MODEL)
    assert created.ephemeral_5m_input_tokens > wire.min_cacheable(MODEL)
    assert message.usage.cache_creation_input_tokens == (
        created.ephemeral_1h_input_tokens + created.ephemeral_5m_input_tokens
    )
    # the next request reads both
    _, _, again = streamed(emu, body("Who pays for repairs?", system=blocks))
    assert again.usage.cache_read_input_tokens == message.usage.cache_creation_input_tokens


def test_a_prefix_below_the_model_minimum_is_not_cached(emu):
    short = body(system=system("Answer in one sentence."))
    _, _, message = streamed(emu, short)
    assert message.usage.cache_creation_input_tokens == 0
    assert message.usage.cache_read_input_tokens == 0
    assert message.usage.input_tokens == wire.input_tokens(short)
    # the same 1,500-token prefix caches on Sonnet, not on Haiku 4.5 (4,096 minimum)
    _, _, haiku = streamed(emu, body(model="claude-haiku-4-5"))
    assert wire.min_cacheable("claude-haiku-4-5") == 4096
    assert haiku.usage.cache_creation_input_tokens == 0


def test_breakpoint_on_a_message_block_and_top_level_cache_control(emu):
    document = {"type": "text", "text": DOCUMENT, "cache_control": {"type": "ephemeral"}}
    turn = [{"role": "user", "content": [document, {"type": "text", "text": "A cat?"}]}]
    _, _, first = streamed(emu, body(system="Answer briefly.", messages=turn))
    assert first.usage.cache_creation_input_tokens > wire.min_cacheable(MODEL)
    # the same blocks with the marker moved to the top level: the same prefix, read
    plain = [{"role": "user", "content": DOCUMENT}]
    request = body(system="Answer briefly.", messages=plain, cache_control={"type": "ephemeral"})
    _, _, read = streamed(emu, request)
    assert read.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    # top-level cache_control marks the last block: here the whole prompt
    emu.begin_run(None)
    _, _, top = streamed(emu, request)
    assert top.usage.cache_creation_input_tokens > wire.min_cacheable(MODEL)
    _, _, again = streamed(emu, request)
    assert again.usage.cache_read_input_tokens == top.usage.cache_creation_input_tokens


def test_no_breakpoint_no_cache_counts(emu):
    request = body(system=DOCUMENT)
    for _ in range(2):
        _, _, message = streamed(emu, request)
        assert message.usage.cache_creation_input_tokens == 0
        assert message.usage.cache_read_input_tokens == 0


def test_non_streaming_answer_counts_the_cache_too(emu):
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        first = client.messages.create(**body())
        second = client.messages.create(**body())
    assert first.usage.cache_creation_input_tokens == second.usage.cache_read_input_tokens > 0
    Message.model_validate(second.model_dump())


# --- structured output ------------------------------------------------------------------


class Forecast(pydantic.BaseModel):
    city: str
    high_c: int
    summary: str


class Place(pydantic.BaseModel):
    name: str
    kind: str = "city"


class Trip(pydantic.BaseModel):
    place: Place
    days: int | None
    tags: list[str]
    mode: anthropic.types.Model | None = None
    starts: datetime.date
    booked: datetime.datetime
    link: pydantic.HttpUrl
    ref: uuid.UUID


def structured(emu: Emulator, model: type, prompt: str, **extra: Any) -> tuple[list[str], Any]:
    """The text deltas and the final message of a request with output_format=model."""
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(
            model=MODEL,
            max_tokens=extra.pop("max_tokens", 1024),
            messages=[{"role": "user", "content": prompt}],
            output_format=model,
            **extra,
        ) as stream:
            pieces = list(stream.text_stream)
            return pieces, stream.get_final_message()


def test_structured_answer_is_json_that_validates_streamed_in_pieces(emu):
    pieces, message = structured(emu, Forecast, "Tomorrow's forecast for Paris?")
    assert len(pieces) > 3  # the JSON arrives a few tokens at a time
    assert message.stop_reason == "end_turn"
    # the matched scenario's JSON gives the values
    assert message.parsed_output == Forecast(
        city="Paris", high_c=19, summary="Mild and dry, with sun after noon."
    )
    assert json.loads("".join(pieces)) == message.parsed_output.model_dump()
    request = emu.requests[-1]["json"]
    assert request["output_config"]["format"]["type"] == "json_schema"


def test_any_answer_fits_the_schema_nested_models_included(emu):
    # the default answer is prose: its JSON is placeholders that still validate
    _, message = structured(emu, Trip, "Hello there")
    assert isinstance(message.parsed_output, Trip)
    assert len([b for b in message.content if b.type == "text"]) == 1


def test_structured_answer_cut_by_max_tokens_is_a_json_prefix(emu):
    whole = json.dumps(
        {"city": "Paris", "high_c": 19, "summary": "Mild and dry, with sun after noon."}
    )
    schema = anthropic.transform_schema(Forecast)
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(
            model=MODEL,
            max_tokens=5,
            messages=[{"role": "user", "content": "Tomorrow's forecast for Paris?"}],
            output_config={"format": {"type": "json_schema", "schema": schema}},
        ) as stream:
            text = "".join(stream.text_stream)
            message = stream.get_final_message()
    assert message.stop_reason == "max_tokens"
    assert text == whole[:20]
    with pytest.raises(ValueError):
        json.loads(text)


@pytest.mark.parametrize("shape", ["refusal_after_text", "text_several_blocks"])
def test_structured_answer_to_forced_shapes(emu, shape):
    emu.begin_run(shape)
    schema = anthropic.transform_schema(Forecast)
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        message = client.messages.create(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": "Hello there"}],
            output_config={"format": {"type": "json_schema", "schema": schema}},
        )
    texts = [b.text for b in message.content if b.type == "text"]
    if shape == "refusal_after_text":
        # a refusal keeps its words: the API does not promise the schema then
        assert message.stop_reason == "refusal"
        assert texts == ["I can help with part of this, but"]
    else:
        assert len(texts) == 1
        Forecast.model_validate_json(texts[0])


def test_schema_value_fits_preferred_values_and_placeholders():
    schema = anthropic.transform_schema(Trip)
    value = wire.schema_value(
        {"place": {"name": "Lyon"}, "days": "three", "tags": ["food", 2]},
        schema,
        schema["$defs"],
    )
    assert value["place"] == {"name": "Lyon"}
    assert value["days"] == 1  # "three" does not fit an integer
    assert value["tags"] == ["food", "example"]
    Trip.model_validate(value)
