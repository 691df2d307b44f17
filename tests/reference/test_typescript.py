"""docs/reference/typescript.md agrees with the TypeScript SDK's type definitions
(`MessageStreamEvents` and `class MessageStream` in its .d.ts), row by row, both ways."""

from __future__ import annotations

from streamdocs import ts_types
from streamdocs.paths import rel
from streamdocs.site.tables import column, name_of, read_table
from tests.reference.common import REFERENCE, assert_cells, assert_same_names

PAGE = REFERENCE / "typescript.md"
SOURCE = rel(ts_types.DEFINITIONS)


def test_every_event_and_its_listener_arguments_match_the_sdk():
    table = read_table(PAGE, "Events")
    name, arguments = column(table, "Event"), column(table, "Listener arguments")
    events = ts_types.stream_events()
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, set(events), f"MessageStreamEvents ({SOURCE})")
    mismatches = []
    for row in table.rows:
        expected = f"`({', '.join(events[name_of(row[name])])})`"
        if row[arguments] != expected:
            mismatches.append(
                f"{table.where(name_of(row[name]))}: arguments {row[arguments]}, "
                f"the SDK's listener takes {expected}"
            )
    assert_cells(table, mismatches)


def test_every_member_and_its_kind_match_the_sdk():
    table = read_table(PAGE, "Members")
    name, kind = column(table, "Member"), column(table, "Kind")
    members = ts_types.stream_members()
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, set(members), f"class MessageStream ({SOURCE})")
    mismatches = [
        f"{table.where(name_of(row[name]))}: Kind is {row[kind]!r}, the SDK has a "
        f"{members[name_of(row[name])]}"
        for row in table.rows
        if row[kind] != members[name_of(row[name])]
    ]
    assert_cells(table, mismatches)


def test_the_reader_fails_on_a_definitions_file_it_cannot_read(tmp_path):
    """A release that declares the events some other way must fail, not read as none."""
    odd = tmp_path / "MessageStream.d.ts"
    odd.write_text("export interface MessageStreamEvents<P> {\n    text(delta: string): void;\n}\n")
    try:
        ts_types.stream_events(odd)
    except AssertionError as error:
        assert "cannot read the event line" in str(error)
    else:
        raise AssertionError("an unreadable event line was skipped")
