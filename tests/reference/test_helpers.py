"""docs/reference/helpers.md agrees with the SDK, row by row, both ways."""

from __future__ import annotations

import functools
import inspect

from anthropic.lib.streaming import AsyncMessageStream, MessageStream

from streamdocs.paths import rel
from streamdocs.sdk_types import annotation_text
from streamdocs.site.tables import column, name_of, read_table
from tests.reference.common import REFERENCE, assert_cells, assert_same_names

# --- helpers.md ----------------------------------------------------------------------------------

HELPERS_PAGE = REFERENCE / "helpers.md"


def public_members(cls) -> dict[str, tuple[str, str, bool]]:
    """name -> (kind, return annotation, is a coroutine) for each public member."""
    members = {}
    for name, annotation in cls.__annotations__.items():
        if not name.startswith("_"):
            members[name] = ("attribute", annotation_text(annotation), False)
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property | functools.cached_property):
            getter = value.fget if isinstance(value, property) else value.func
            ret = annotation_text(getter.__annotations__.get("return", "?"))
            members[name] = ("property", ret, False)
        elif inspect.isfunction(value):
            ret = annotation_text(value.__annotations__.get("return", "?"))
            members[name] = ("method", ret, inspect.iscoroutinefunction(value))
    return members


def test_helper_members_match_the_sdk():
    table = read_table(HELPERS_PAGE, "Members")
    name, kind = column(table, "Member"), column(table, "Kind")
    columns = {
        cls: column(table, f"`{cls.__name__}`") for cls in (MessageStream, AsyncMessageStream)
    }
    sync, both = public_members(MessageStream), public_members(AsyncMessageStream)
    assert set(sync) == set(both), (
        f"MessageStream and AsyncMessageStream differ in {sorted(set(sync) ^ set(both))}: "
        f"{rel(HELPERS_PAGE)} has one table for both; give it a column or a note"
    )
    source = "the public members of anthropic.lib.streaming.MessageStream"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(sync), source)
    mismatches = []
    for row in table.rows:
        member = name_of(row[name])
        if row[kind] != sync[member][0]:
            mismatches.append(
                f"{table.where(member)}: Kind is {row[kind]!r}, the SDK has a {sync[member][0]}"
            )
        for cls, at in columns.items():
            _, returns, coroutine = public_members(cls)[member]
            expected = f"`await` → `{returns}`" if coroutine else f"`{returns}`"
            if row[at] != expected:
                mismatches.append(
                    f"{table.where(member)}: column {cls.__name__} is {row[at]}, "
                    f"the SDK says {expected}"
                )
    assert_cells(table, mismatches)


def test_current_message_snapshot_asserts_as_documented():
    """The page says current_message_snapshot fails with AssertionError before message_start."""
    for cls in (MessageStream, AsyncMessageStream):
        source = inspect.getsource(vars(cls)["current_message_snapshot"].fget)
        assert "assert " in source, (
            f"{cls.__name__}.current_message_snapshot no longer asserts; "
            f"update its row in {rel(HELPERS_PAGE)}"
        )


def test_get_final_text_raises_as_documented():
    """The page says get_final_text() raises RuntimeError when there is no text block."""
    for cls in (MessageStream, AsyncMessageStream):
        assert "raise RuntimeError" in inspect.getsource(cls.get_final_text), (
            f"{cls.__name__}.get_final_text no longer raises RuntimeError; "
            f"update its row in {rel(HELPERS_PAGE)}"
        )
