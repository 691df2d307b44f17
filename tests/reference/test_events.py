"""docs/reference/events.md agrees with the SDK, row by row, both ways."""

from __future__ import annotations

import inspect
import re
import typing

import anthropic
import anthropic.types
from anthropic.lib.streaming import _types as helper_types

from streamdocs import sdk_internals
from streamdocs.sdk_types import type_literal, union_members
from streamdocs.site.tables import code, column, name_of, read_table
from tests.reference.common import REFERENCE, assert_cells, assert_same_names

# --- events.md -----------------------------------------------------------------------------------

EVENTS_PAGE = REFERENCE / "events.md"


def test_wire_events_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Wire events")
    name = column(table, "Event")
    # ping and error are not models: Stream.__stream__ skips the one and raises on the other.
    stream_source = sdk_internals.stream_decoder_source()
    handled = {e for e in ("ping", "error") if f'sse.event == "{e}"' in stream_source}
    sdk = {type_literal(m) for m in union_members(anthropic.types.RawMessageStreamEvent)} | handled
    source = "anthropic.types.RawMessageStreamEvent (plus the events Stream.__stream__ handles)"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], sdk, source)


def test_wire_message_stop_carries_nothing_but_its_type():
    """The page says the wire `message_stop` is exactly {"type": "message_stop"}."""
    table = read_table(EVENTS_PAGE, "Wire events")
    row = next(r for r in table.rows if name_of(r[0]) == "message_stop")
    fields = set(anthropic.types.RawMessageStopEvent.model_fields)
    assert '`{"type": "message_stop"}`' in row[column(table, "Payload")] and fields == {"type"}, (
        f"{table.where('message_stop')}: anthropic.types.RawMessageStopEvent has fields "
        f"{sorted(fields)}; update the Payload cell"
    )


def test_delta_types_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Delta types")
    name, field = column(table, "Delta type"), column(table, "Field")
    helper = column(table, "Helper event")
    models = {type_literal(m): m for m in union_members(anthropic.types.RawContentBlockDelta)}
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, set(models), "anthropic.types.RawContentBlockDelta")
    helper_events = {type_literal(m) for m in _helper_event_models()}
    mismatches = []
    for row in table.rows:
        delta = name_of(row[name])
        payload = set(models[delta].model_fields) - {"type"}
        if {code(row[field])} != payload:
            mismatches.append(
                f"{table.where(delta)}: Field is {row[field]}, "
                f"the SDK's model has {sorted(payload)}"
            )
        if name_of(row[helper]) not in helper_events:
            mismatches.append(
                f"{table.where(delta)}: Helper event {row[helper]} is not one of the helper's "
                f"events ({', '.join(sorted(helper_events))})"
            )
    assert_cells(table, mismatches)


def test_content_block_types_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Content block types")
    name = column(table, "Block type")
    sdk = {type_literal(m) for m in union_members(anthropic.types.ContentBlock)}
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, sdk, "anthropic.types.ContentBlock")


def stop_reason_docs() -> dict[str, str]:
    """Each `- "reason": text` bullet of the docstring of Message.stop_reason."""
    source = inspect.getsource(anthropic.types.Message)
    docstring = re.search(r'stop_reason: .*?\n\s*"""(.*?)"""', source, re.S)[1]
    bullets = re.findall(r'^\s*- `"(\w+)"`: (.*?)(?=^\s*- `"|^\s*$)', docstring, re.M | re.S)
    return {reason: " ".join(text.split()) for reason, text in bullets}


def test_stop_reasons_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Stop reasons")
    name, said = column(table, "Stop reason"), column(table, "The SDK says")
    sdk = set(typing.get_args(anthropic.types.StopReason))
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, sdk, "anthropic.types.StopReason")
    docs = stop_reason_docs()
    assert set(docs) == sdk, f"Message.stop_reason's docstring describes {sorted(docs)}"
    assert_cells(
        table,
        [
            f"{table.where(name_of(row[name]))}: The SDK says {row[said]!r}, "
            f"but Message.stop_reason's docstring says {docs[name_of(row[name])]!r}"
            for row in table.rows
            if " ".join(row[said].split()) != docs[name_of(row[name])]
        ],
    )


def _helper_event_models() -> list:
    """The events MessageStream adds or replaces: those defined in lib/streaming/_types.py,
    from the union it yields (ParsedMessageStreamEvent; MessageStreamEvent names two stop
    events it never yields)."""
    members = union_members(helper_types.ParsedMessageStreamEvent)
    return [m for m in members if m.__module__ == helper_types.__name__]


def test_helper_events_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Helper events")
    name, fields = column(table, "Event"), column(table, "Fields")
    models = {type_literal(m): m for m in _helper_event_models()}
    source = "the events anthropic/lib/streaming/_types.py adds to ParsedMessageStreamEvent"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(models), source)
    mismatches = []
    for row in table.rows:
        event = name_of(row[name])
        sdk_fields = set(models[event].model_fields) - {"type"}
        written = set(re.findall(r"`(\w+)`", row[fields]))
        if not sdk_fields <= written:
            mismatches.append(
                f"{table.where(event)}: Fields lacks {sorted(sdk_fields - written)} "
                f"(the SDK's {models[event].__name__} has {sorted(sdk_fields)})"
            )
    assert_cells(table, mismatches)
