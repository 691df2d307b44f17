"""What the reference tests share: reading a table's cells, reading the SDK's types."""

from __future__ import annotations

import re

import pytest

from streamdocs.paths import DOCS, rel
from streamdocs.site.tables import Table

REFERENCE = DOCS / "reference"
API_PAGES = REFERENCE / "api"
RENDERED = re.compile(r"^::: (anthropic\.\S+)$", re.MULTILINE)


# --- reading the pages ---------------------------------------------------------------------------


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
