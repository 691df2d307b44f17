"""What a stream that breaks after its 200 response raises, for each way of reading it.

The exceptions page has a table of it (one row per way of reading, one column per kind of
break); here each way is broken for real, against the emulator on loopback (a dropped TCP
connection, a silence longer than the read timeout), and the table is compared with what
was raised. What the SDK's own streams raise then decides what no page or sample may tell
readers to catch: an `httpx2` transport error they no longer let through.
"""

from __future__ import annotations

import ast
import asyncio
import re
from collections.abc import Callable

import anthropic
import httpx
import httpx2
import pytest

from streamdocs.emulator import Emulator
from streamdocs.paths import DOCS, SNIPPETS
from streamdocs.site.tables import tables

PAGE = DOCS / "reference" / "exceptions.md"
HEADING = "During the stream"
BREAKS = {"The connection drops": "connection_cut", "Nothing arrives": "stall"}
READ_TIMEOUT = 0.5  # the stall scenario is silent for 2 s
REQUEST = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "hi"}],
}


def _clients(url: str):
    options = {
        "api_key": "sk-ant-claims",
        "base_url": url,
        "max_retries": 0,
        "timeout": anthropic.Timeout(READ_TIMEOUT, connect=5.0),
    }
    return anthropic.Anthropic(**options), anthropic.AsyncAnthropic(**options)


def _helper(url: str) -> None:
    sync, _ = _clients(url)
    with sync.messages.stream(**REQUEST) as stream:
        stream.until_done()


def _create(url: str) -> None:
    sync, _ = _clients(url)
    for _event in sync.messages.create(**REQUEST, stream=True):
        pass


def _create_async(url: str) -> None:
    _, async_ = _clients(url)

    async def read() -> None:
        async for _event in await async_.messages.create(**REQUEST, stream=True):
            pass

    asyncio.run(read())


def _helper_async(url: str) -> None:
    _, async_ = _clients(url)

    async def read() -> None:
        async with async_.messages.stream(**REQUEST) as stream:
            await stream.until_done()

    asyncio.run(read())


def _raw_events(url: str) -> None:
    sync, _ = _clients(url)
    with sync.messages.with_streaming_response.create(**REQUEST, stream=True) as response:
        for _sse in anthropic.Stream.raw_events(response.http_response):
            pass


def _plain_httpx(url: str) -> None:
    headers = {"x-api-key": "sk-ant-claims", "anthropic-version": "2023-06-01"}
    timeout = httpx.Timeout(READ_TIMEOUT, connect=5.0)
    body = {**REQUEST, "stream": True}
    with httpx.stream(
        "POST", f"{url}/v1/messages", json=body, headers=headers, timeout=timeout
    ) as r:
        for _line in r.iter_lines():
            pass


# Each row of the page's table, by the text its first cell starts with: the ways to read it.
WAYS: dict[str, list[Callable[[str], None]]] = {
    "`client.messages.stream(...)`": [_helper, _helper_async],
    "`client.messages.create(stream=True)`": [_create, _create_async],
    "`anthropic.Stream.raw_events(response)`": [_raw_events],
    "`httpx` without the SDK": [_plain_httpx],
}


def _raised(read: Callable[[str], None], url: str) -> str:
    try:
        read(url)
    except Exception as error:  # noqa: BLE001 - what was raised is the result
        module = type(error).__module__.split(".")[0]
        return f"`{module}.{type(error).__name__}`"
    return "nothing"


@pytest.fixture(scope="module")
def raised() -> dict[tuple[str, str], set[str]]:
    """(row, column) -> the classes raised by every way of reading that row names."""
    found: dict[tuple[str, str], set[str]] = {}
    with Emulator() as emulator:
        for row, reads in WAYS.items():
            for column, scenario in BREAKS.items():
                url = emulator.base_url(scenario)
                found[(row, column)] = {_raised(read, url) for read in reads}
    return found


def page_table() -> dict[tuple[str, str], str]:
    [rows] = [rows for heading, rows in tables(PAGE.read_text("utf-8")) if heading == HEADING]
    header, *body = rows
    columns = [next(c for c in BREAKS if name.startswith(c)) for name in header[1:]]
    cells = {}
    for first, *values in body:
        row = next(way for way in WAYS if first.startswith(way))
        cells.update({(row, column): value for column, value in zip(columns, values, strict=True)})
    return cells


def test_the_page_says_what_each_way_of_reading_raises(raised):
    shown = page_table()
    assert set(shown) == set(raised), f"docs/reference/exceptions.md: rows {sorted(shown)}"
    wrong = [
        f"{row} / {column}: the page says {shown[row, column]}, the run raised "
        f"{' and '.join(sorted(classes))}"
        for (row, column), classes in raised.items()
        if classes != {shown[row, column]}
    ]
    assert not wrong, "docs/reference/exceptions.md, 'During the stream':\n" + "\n".join(wrong)


def _transport_errors_the_sdk_hides(raised) -> set[str]:
    """`httpx2` transport errors that neither of the SDK's own streams lets through."""
    sdk_rows = ("`client.messages.stream(...)`", "`client.messages.create(stream=True)`")
    let_through = {c.strip("`") for (row, _), cs in raised.items() if row in sdk_rows for c in cs}
    return {
        f"httpx2.{name}"
        for name, value in vars(httpx2).items()
        if isinstance(value, type) and issubclass(value, httpx2.TransportError)
    } - let_through


def test_no_sample_catches_a_transport_error_the_sdk_no_longer_raises(raised):
    hidden = _transport_errors_the_sdk_hides(raised)
    wrong = []
    for path in sorted(SNIPPETS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "import anthropic" not in source or "raw_events" in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = {ast.unparse(n) for n in ast.walk(node.type)}
                wrong += [
                    f"snippets/{path.name}:{node.lineno} catches {n}" for n in caught & hidden
                ]
    assert not wrong, (
        "the SDK raises anthropic.APIConnectionError / APITimeoutError for these; catch "
        "those (or anthropic.APIError) instead:\n" + "\n".join(wrong)
    )


def test_no_page_names_a_transport_error_the_sdk_no_longer_raises(raised):
    """A paragraph (or table row) may name one only beside `raw_events`, which still raises it."""
    hidden = _transport_errors_the_sdk_hides(raised)
    name = re.compile(r"httpx2\.\w+")
    wrong = []
    for page in sorted(DOCS.rglob("*.md")):
        for chunk in re.split(r"\n\s*\n|\n(?=\|)", page.read_text(encoding="utf-8")):
            named = set(name.findall(chunk)) & hidden
            if named and "raw_events" not in chunk:
                wrong.append(f"{page.relative_to(DOCS)}: {sorted(named)} in {chunk[:70]!r}...")
    assert not wrong, (
        "these pages name transport errors that the SDK's streams now wrap in "
        "anthropic.APIConnectionError / APITimeoutError:\n" + "\n".join(wrong)
    )
