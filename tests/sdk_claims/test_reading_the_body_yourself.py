"""Truth read 4, A6: since 2.17 the SDK wraps a broken body's httpx2 error in
`anthropic.APIConnectionError`, except where the body is read directly: `Stream.raw_events()`
and a response from `with_streaming_response`, as versions.md says."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, sse, text_block
from tests.sdk_claims import never_says, says


def _client() -> anthropic.Anthropic:
    return client_serving(
        Body([sse(START, *text_block(0, "Hi"))], httpx2.RemoteProtocolError("cut"))
    )


def test_only_a_body_read_directly_lets_the_httpx2_error_through():
    with pytest.raises(anthropic.APIConnectionError) as wrapped:
        for _ in _client().messages.create(**REQUEST, stream=True):
            pass
    assert isinstance(wrapped.value.__cause__, httpx2.RemoteProtocolError)
    with pytest.raises(httpx2.RemoteProtocolError):
        stream = _client().messages.create(**REQUEST, stream=True)
        for _ in anthropic.Stream.raw_events(stream.response):
            pass
    with pytest.raises(httpx2.RemoteProtocolError):
        with _client().messages.with_streaming_response.create(**REQUEST, stream=True) as response:
            for _ in response.iter_lines():
                pass
    never_says("versions.md", "now only `Stream.raw_events()`, which reads the body itself, does")
    says(
        "versions.md",
        "`iter_lines()` and `iter_bytes()` on a response from "
        "`client.messages.with_streaming_response`",
    )
