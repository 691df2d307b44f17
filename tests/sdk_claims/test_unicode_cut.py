"""Truth read 4, D1: a body that ends cleanly inside a multi-byte character. The SDK decodes
the unfinished last line when the body ends and raises the builtin UnicodeDecodeError, which
no `except anthropic.APIError` catches; dropped at the same byte, it is APIConnectionError."""

from __future__ import annotations

import asyncio

import anthropic
import httpx2
import pytest

from streamdocs.emulator.canned import (
    REQUEST,
    START,
    Body,
    async_client_serving,
    client_serving,
    end,
    sse,
    text_block,
)
from tests.sdk_claims import never_says, says

PAGE = "reference/exceptions.md"
WHOLE = sse(START, *text_block(0, "Salt wind — café"), *end())
INSIDE = WHOLE.index("é".encode()) + 1  # after the first of é's two bytes


def _helper(body: Body) -> None:
    with client_serving(body).messages.stream(**REQUEST) as stream:
        stream.until_done()


def _create(body: Body) -> None:
    for _event in client_serving(body).messages.create(**REQUEST, stream=True):
        pass


def _helper_async(body: Body) -> None:
    async def read() -> None:
        async with async_client_serving(body).messages.stream(**REQUEST) as stream:
            await stream.until_done()

    asyncio.run(read())


def _raw_events(body: Body) -> None:
    client = client_serving(body)
    with client.messages.with_streaming_response.create(**REQUEST, stream=True) as response:
        for _sse in anthropic.Stream.raw_events(response.http_response):
            pass


@pytest.mark.parametrize("read", [_helper, _create, _helper_async, _raw_events])
def test_a_clean_end_inside_a_character_raises_unicode_decode_error(read):
    with pytest.raises(UnicodeDecodeError) as caught:
        read(Body([WHOLE[:INSIDE]]))
    assert not isinstance(caught.value, anthropic.AnthropicError)


@pytest.mark.parametrize("read", [_helper, _create])
def test_dropped_at_the_same_byte_it_is_a_connection_error(read):
    dropped = Body([WHOLE[:INSIDE]], httpx2.RemoteProtocolError("peer closed connection"))
    with pytest.raises(anthropic.APIConnectionError):
        read(dropped)


def test_the_exceptions_page_says_so():
    never_says(PAGE, "A body that ends cleanly before `message_stop` raises nothing: the SDK")
    says(
        PAGE,
        "a body that ends cleanly inside a multi-byte character",
        "raises the builtin `UnicodeDecodeError`",
        "One break escapes it",
        "`get_final_text()` on a message without a `text` block raises `RuntimeError`",
        "`pydantic.ValidationError`",
    )
