"""docs/reference/exceptions.md agrees with the SDK, row by row, both ways."""

from __future__ import annotations

import inspect
import re

import anthropic
import anthropic.types
import httpx2

from streamdocs import sdk_internals
from streamdocs.paths import rel
from streamdocs.sdk_types import annotation_text
from streamdocs.site.tables import Table, column, name_of, read_table
from tests.reference.common import (
    API_PAGES,
    REFERENCE,
    RENDERED,
    assert_cells,
    assert_same_names,
)

# --- exceptions.md -------------------------------------------------------------------------------

EXCEPTIONS_PAGE = REFERENCE / "exceptions.md"
EXCEPTIONS_SOURCE = "the exceptions `anthropic` exports"


def sdk_exceptions() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(anthropic).items()
        if not name.startswith("_") and inspect.isclass(value) and issubclass(value, BaseException)
    }


def error_code(cls) -> str | None:
    """The `error_code` Literal a subclass pins, if any."""
    annotation = cls.__dict__.get("__annotations__", {}).get("error_code")
    match = re.fullmatch(r"Literal\[['\"](.+)['\"]\]", annotation_text(annotation or ""))
    return match[1] if match else None


def status_of(cls) -> int | None:
    status = getattr(cls, "status_code", None)
    return status if isinstance(status, int) else None


def _classes_table(heading: str, kind: str, include) -> tuple[Table, dict[str, type]]:
    table = read_table(EXCEPTIONS_PAGE, heading)
    sdk = {n: c for n, c in sdk_exceptions().items() if include(n, c)}
    documented = [name_of(row[column(table, table.header[0])]) for row in table.rows]
    assert_same_names(table, documented, set(sdk), f"{kind} among {EXCEPTIONS_SOURCE}")
    return table, sdk


def _parent_and_status(table: Table, sdk: dict[str, type]) -> list[str]:
    parent, status = column(table, "Parent"), column(table, "Status")
    mismatches = []
    for row in table.rows:
        name = name_of(row[0])
        cls = sdk[name]
        base = cls.__bases__[0].__name__
        if name_of(row[parent]) != base:
            mismatches.append(
                f"{table.where(name)}: Parent is {row[parent]}, the SDK says `{base}`"
            )
        code_ = status_of(cls)
        if code_ is not None and row[status] != str(code_):
            mismatches.append(
                f"{table.where(name)}: Status is {row[status]!r}, the SDK says {code_}"
            )
        if code_ is None and row[status].isdigit():
            mismatches.append(
                f"{table.where(name)}: Status is {row[status]!r}, the SDK pins no status code"
            )
    return mismatches


def _exception_classes_table() -> tuple[Table, dict[str, type]]:
    return _classes_table(
        "Exception classes", "the classes", lambda n, c: c.__name__ == n and error_code(c) is None
    )


def test_exception_classes_match_the_sdk():
    table, sdk = _exception_classes_table()
    assert_cells(table, _parent_and_status(table, sdk))


def _retried(status: int) -> bool:
    client = anthropic.Anthropic(api_key="sk-ant-reference", base_url="http://127.0.0.1:9")
    return client._should_retry(httpx2.Response(status))


def test_exception_descriptions_say_after_retries_exactly_for_retried_statuses():
    """`When a stream raises it` says "after retries" for a status the SDK retries, only then."""
    table, sdk = _exception_classes_table()
    status, when = column(table, "Status"), column(table, "When a stream raises it")
    mismatches = []
    for row in table.rows:
        name = name_of(row[0])
        code_ = status_of(sdk[name]) or (500 if row[status] == "5xx" else None)
        if code_ is None:
            continue
        said = "after retries" in row[when]
        if said != _retried(code_):
            mismatches.append(
                f"{table.where(name)}: When says {row[when]!r}, but the SDK "
                f"{'retries' if _retried(code_) else 'does not retry'} status {code_} "
                "(_base_client.py _should_retry)"
            )
    assert_cells(table, mismatches)


def test_error_code_example_is_what_the_sdk_raises():
    """The page's example of an unexported error-code class."""
    cls = sdk_internals.ERROR_CLASSES.get((529, "compaction_unavailable"))
    assert cls is not None and cls.__name__ == "CompactionUnavailableError", (
        f"{rel(EXCEPTIONS_PAGE)}: the SDK no longer maps (529, compaction_unavailable) "
        "to CompactionUnavailableError; pick another example"
    )
    assert cls.__bases__ == (anthropic.OverloadedError,) and not hasattr(anthropic, cls.__name__)
    assert f"`{cls.__module__}.{cls.__name__}`, an `OverloadedError`" in " ".join(
        EXCEPTIONS_PAGE.read_text(encoding="utf-8").split()
    )


def test_error_code_subclasses_match_the_sdk():
    table, sdk = _classes_table(
        "Error-code subclasses",
        "the subclasses with an error_code",
        lambda n, c: c.__name__ == n and error_code(c) is not None,
    )
    mismatches = _parent_and_status(table, sdk)
    at = column(table, "`error_code`")
    for row in table.rows:
        name = name_of(row[0])
        if name_of(row[at]) != error_code(sdk[name]):
            mismatches.append(
                f"{table.where(name)}: error_code is {row[at]}, "
                f"the SDK says `{error_code(sdk[name])}`"
            )
    assert_cells(table, mismatches)


def test_deprecated_aliases_match_the_sdk():
    table, sdk = _classes_table("Deprecated aliases", "the aliases", lambda n, c: c.__name__ != n)
    same = column(table, "Same class as")
    assert_cells(
        table,
        [
            f"{table.where(name_of(row[0]))}: is the SDK's `{sdk[name_of(row[0])].__name__}`, "
            f"not {row[same]}"
            for row in table.rows
            if name_of(row[same]) != sdk[name_of(row[0])].__name__
        ],
    )


# --- api/*.md (mkdocstrings) ---------------------------------------------------------------------


def test_api_pages_render_every_exception_class():
    """The API reference is split over pages; a class the table lists must be on one of them."""
    rendered = {
        dotted.rpartition(".")[2]
        for page in sorted(API_PAGES.glob("*.md"))
        for dotted in RENDERED.findall(page.read_text(encoding="utf-8"))
    }
    table, _ = _exception_classes_table()
    missing = [name_of(row[0]) for row in table.rows if name_of(row[0]) not in rendered]
    assert not missing, (
        f"{rel(EXCEPTIONS_PAGE)} lists {', '.join(missing)}, which no page in {rel(API_PAGES)}/ "
        f"renders: add a `::: anthropic.<Class>` line to {rel(API_PAGES / 'exceptions.md')} "
        f"or {rel(API_PAGES / 'status-errors.md')}"
    )
