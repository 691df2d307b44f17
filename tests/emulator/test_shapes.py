"""The answer-shape catalogue: each shape keeps the real wire format, validates against the
pinned SDK's types, and together they produce every member of the SDK's stream unions."""

from __future__ import annotations

import json
import typing

import pydantic
import pytest
from anthropic.types import (
    ContentBlock,
    RawContentBlockDelta,
    RawMessageStreamEvent,
    StopReason,
)

from streamdocs.emulator import Emulator, client
from streamdocs.emulator.scenarios import load_scenarios, shapes
from streamdocs.sse import framed_events

SHAPES = shapes(load_scenarios())
EVENT = pydantic.TypeAdapter(RawMessageStreamEvent)

# Union members no shape produces, each with its reason. Empty today: an SDK bump that adds
# a member fails test_every_sdk_union_member_has_a_shape until a shape or a reason is added.
EXEMPT: dict[str, str] = {}


@pytest.fixture(scope="module")
def streams():
    """Every streaming shape's events, as sent for its suitable request."""
    found = {}
    with Emulator() as emu:
        for name, shape in SHAPES.items():
            if shape.reply(0).error is not None:
                continue
            url = emu.base_url(name)
            _, data = client.post(url, client.request_for(shape, stream=True), timeout=0.5)
            found[name] = framed_events(data) if data else []  # cut and stall shapes end early
    return found


def members(union) -> set[str]:
    """The `type` literals (or the literals themselves) of one of the SDK's unions."""
    args = typing.get_args(union)
    if args and typing.get_origin(union) is typing.Annotated:
        args = typing.get_args(args[0])
    if typing.get_origin(union) is typing.Literal:
        return set(args)
    return {typing.get_args(m.model_fields["type"].annotation)[0] for m in args}


@pytest.mark.parametrize("name", [n for n, s in SHAPES.items() if s.reply(0).error is None])
def test_shape_validates_against_the_sdk_types(streams, name):
    """Strictly, field by field; a type the SDK does not know only where the shape says so
    (its name starts with `unknown_`), since those shapes exist to send one."""
    unknown = []
    for event, line in streams[name]:
        if event == "ping":
            assert line == '{"type": "ping"}'
            continue
        data = json.loads(line)
        assert data["type"] == event
        if event == "error":
            continue
        types = {
            event,
            data.get("delta", {}).get("type"),
            data.get("content_block", {}).get("type"),
        } - {None}
        new = types - KNOWN
        if new:
            unknown += sorted(new)
            continue
        model = EVENT.validate_python(data, strict=True)
        assert not model.model_extra, f"{name}: {event} has fields the SDK lacks"
    if name.startswith("unknown_"):
        assert unknown, f"shape {name} should send a type the SDK does not know"
    else:
        assert not unknown, f"shape {name} sends types the SDK does not know: {unknown}"


KNOWN = (
    members(RawMessageStreamEvent)
    | members(RawContentBlockDelta)
    | members(ContentBlock)
    | {"error", "ping"}
)


def test_every_sdk_union_member_has_a_shape(streams):
    produced: set[str] = set()
    for events in streams.values():
        for event, line in events:
            data = json.loads(line)
            produced.add(event)
            produced.add(data.get("delta", {}).get("type"))
            produced.add(data.get("delta", {}).get("stop_reason"))
            produced.add(data.get("content_block", {}).get("type"))
    wanted = (
        members(RawMessageStreamEvent)
        | members(RawContentBlockDelta)
        | members(ContentBlock)
        | members(StopReason)
    )
    missing = sorted(wanted - produced - set(EXEMPT))
    assert not missing, (
        f"the pinned SDK knows {missing}, which no shape in streamdocs/emulator/shapes/ produces: "
        "add a shape (or a reason to EXEMPT in this file)"
    )


def test_shapes_are_described_and_loaded_once():
    assert len(SHAPES) >= 45
    for shape in SHAPES.values():
        assert shape.description.strip() and "\n" not in shape.description.strip()


@pytest.fixture(scope="module")
def sdk_client():
    import anthropic

    with Emulator() as emu:
        yield lambda shape: anthropic.Anthropic(base_url=emu.base_url(shape), api_key=client.KEY)


def test_what_the_events_guide_says_the_sdk_does_with_unknown_types(sdk_client):
    """docs/guides/python-events.md, "What your code must expect"."""
    from anthropic.types import TextBlock

    request = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 256,
        "messages": [{"role": "user", "content": "Hi"}],
    }
    with sdk_client("unknown_block_first").messages.stream(**request) as stream:
        first = stream.get_final_message().content[0]
    assert isinstance(first, TextBlock) and first.type == "mind_map" and first.text is None

    events = sdk_client("unknown_event").messages.create(**request, stream=True)
    assert "message_annotation" in [event.type for event in events]

    with sdk_client("refusal_no_text").messages.stream(**request) as stream:
        assert stream.get_final_message().content == []
        with pytest.raises(RuntimeError):
            stream.get_final_text()


def test_what_the_tool_use_guide_says_about_invalid_input(sdk_client):
    """docs/guides/tool-use.md: the helper raises ValueError on input that is not JSON;
    the raw stream does not; a tool cut by max_tokens ends with stop_reason max_tokens."""
    request = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 256,
        "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
        "messages": [{"role": "user", "content": "Weather?"}],
    }
    with pytest.raises(ValueError, match="Unable to parse tool parameter JSON"):
        with sdk_client("tool_use_invalid_json").messages.stream(**request) as stream:
            stream.get_final_message()
    raw = sdk_client("tool_use_invalid_json").messages.create(**request, stream=True)
    assert [e.type for e in raw][-1] == "message_stop"
    with sdk_client("tool_use_max_tokens").messages.stream(**request) as stream:
        message = stream.get_final_message()
    assert message.stop_reason == "max_tokens" and message.content[-1].type == "tool_use"


def test_thinking_blocks_must_come_back_unchanged(sdk_client):
    """docs/guides/thinking.md: the emulator rejects a tool turn sent back without its
    thinking block, or with its thinking edited, as the API documents; unchanged works."""
    import anthropic

    sdk = sdk_client(None)  # natural answers: thinking and a call, then text
    request = {
        "model": "claude-sonnet-4-6",  # `enabled` thinking: a model that takes it
        "max_tokens": 2048,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
        "messages": [{"role": "user", "content": "Weather in Paris?"}],
    }
    with sdk.messages.stream(**request) as stream:
        turn = stream.get_final_message().content
    assert [b.type for b in turn] == ["thinking", "tool_use"]
    result = {"type": "tool_result", "tool_use_id": turn[1].id, "content": "18 °C"}

    def next_turn(assistant_content):
        messages = [
            *request["messages"],
            {"role": "assistant", "content": assistant_content},
            {"role": "user", "content": [result]},
        ]
        return sdk.messages.create(**{**request, "messages": messages})

    assert next_turn(turn).stop_reason == "end_turn"
    with pytest.raises(anthropic.BadRequestError, match="Expected `thinking`"):
        next_turn(turn[1:])
    edited = [turn[0].model_copy(update={"thinking": "Something else."}), turn[1]]
    with pytest.raises(anthropic.BadRequestError, match="Invalid `signature`"):
        next_turn(edited)
