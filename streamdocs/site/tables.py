"""Reading a page's pipe tables, for tests that check a table against the SDK or a run.

markdown-it-py finds the headings and the tables (GFM); a cell is its Markdown source,
code spans and `<br>` kept, so a test can compare `name` cells and read structured ones.
Rows are split into cells the way Python-Markdown, which renders the site, splits them:
a pipe inside a code span (`str | None`) stays in its cell, where GFM would split it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from streamdocs.paths import rel

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass
class Table:
    page: Path
    heading: str
    header: list[str]
    rows: list[list[str]]

    def where(self, row: str | None = None) -> str:
        at = f"{rel(self.page)}, table '{self.heading}'"
        return f"{at}: row `{row}`" if row is not None else at


def cells(line: str) -> list[str]:
    """One table row's cells, split on the pipes outside code spans."""
    found, cell, in_code = [], "", False
    for char in line.strip().removeprefix("|").removesuffix("|"):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            found.append(cell.strip())
            cell = ""
        else:
            cell += char
    return [*found, cell.strip()]


def tables(text: str) -> list[tuple[str, list[list[str]]]]:
    """(the heading above it, its rows header first) for every table in a Markdown text."""
    lines = text.split("\n")
    found, heading = [], ""
    tokens = _PARSER.parse(text)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[i + 1].content
        elif token.type == "table_open" and token.map:
            start, end = token.map
            rows = [cells(line) for line in lines[start:end] if line.strip()]
            found.append((heading, [rows[0], *rows[2:]]))  # the delimiter row dropped
    return found


def read_table(page: Path, heading: str) -> Table:
    """The first table under the heading `heading` (any level) on a page."""
    for above, rows in tables(page.read_text(encoding="utf-8")):
        if above == heading:
            return Table(page, heading, rows[0], rows[1:])
    raise AssertionError(f"{rel(page)}: no table under a heading '{heading}'")


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
