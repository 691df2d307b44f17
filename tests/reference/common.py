"""What the reference tests share: reading a table's cells, reading the SDK's types."""

from __future__ import annotations

import importlib
import inspect
import re
import typing

import pytest

from streamdocs.paths import DOCS, rel
from streamdocs.site.tables import Table

REFERENCE = DOCS / "reference"
API_PAGES = REFERENCE / "api"
RENDERED = re.compile(r"^::: (anthropic\.\S+)$", re.MULTILINE)


# --- reading the pages ---------------------------------------------------------------------------


def name_of(cell: str) -> str:
    """`get_final_text()` -> get_final_text; `anthropic.APIError` -> anthropic.APIError."""
    return cell.strip().strip("`").removesuffix("()")


def code(cell: str) -> str:
    """The text of a cell that is one code span."""
    match = re.fullmatch(r"`([^`]*)`", cell.strip())
    assert match, f"expected one `code` span, found {cell!r}"
    return match[1]


def column(table: Table, name: str) -> int:
    assert name in table.header, f"{table.where()} has no column '{name}' ({table.header})"
    return table.header.index(name)


def assert_same_names(table: Table, documented: list[str], sdk: set[str], sdk_source: str) -> None:
    """Both ways: no row the SDK lacks, no SDK name without a row, no duplicate row."""
    problems = []
    for name in sorted({n for n in documented if documented.count(n) > 1}):
        problems.append(f"{table.where(name)} appears more than once")
    extra = [name for name in documented if name not in sdk]
    for name in extra:
        problems.append(f"{table.where(name)} is not in {sdk_source}")
    if extra:
        problems.append(f"  (the SDK has: {', '.join(sorted(sdk)) or 'none'})")
    for name in sorted(sdk - set(documented)):
        problems.append(f"{table.where()} lacks a row for `{name}`, which is in {sdk_source}")
    if problems:
        pytest.fail("\n".join(problems) + f"\nFix: edit {rel(table.page)}.", pytrace=False)


def assert_cells(table: Table, mismatches: list[str]) -> None:
    if mismatches:
        pytest.fail("\n".join(mismatches) + f"\nFix: edit {rel(table.page)}.", pytrace=False)


# --- reading the SDK -----------------------------------------------------------------------------


def union_members(tp) -> tuple:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return typing.get_args(tp)


def type_literal(model) -> str:
    (value,) = typing.get_args(model.model_fields["type"].annotation)
    return value


def annotation_text(annotation) -> str:
    """An annotation as the SDK's source spells it (its modules use postponed annotations)."""
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def strip_required(text: str) -> tuple[bool, str]:
    match = re.fullmatch(r"Required\[(.*)\]", text)
    return (True, match[1]) if match else (False, text)


def resolve(dotted: str):
    module, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr, None)
    except ImportError:
        return None
