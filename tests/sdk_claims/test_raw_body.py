"""Reading the body: a gzip stream is decoded as it arrives (production.md, C6), and the
ways of reading the raw body let the HTTP library's error through (errors.md, C10)."""

from __future__ import annotations

import zlib

import anthropic
import httpx2
import pytest

from streamdocs.emulator.canned import REQUEST, START, Body, end, sse, text_block
from tests.sdk_claims import says


def client_for(body: Body, headers: dict[str, str] | None = None) -> anthropic.Anthropic:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream", **(headers or {})}, stream=body
        )

    return anthropic.Anthropic(
        api_key="sk-ant-canned",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )


def test_a_gzip_stream_is_decoded_as_it_arrives():
    """The first part of a gzip body, flushed, gives its text before the rest is read: the
    body then fails, and the text that came before it is already out."""
    block = text_block(0, "first ", "second")
    packer = zlib.compressobj(wbits=31)  # gzip
    first = packer.compress(sse(START, *block[:2])) + packer.flush(zlib.Z_SYNC_FLUSH)
    body = Body([first], error=httpx2.ReadError("the rest never came"))
    seen = []
    client = client_for(body, {"content-encoding": "gzip"})
    with pytest.raises(anthropic.APIConnectionError):
        with client.messages.stream(**REQUEST) as stream:
            for text in stream.text_stream:
                seen.append(text)
    assert seen == ["first "], "the gzip body was not decoded until it ended"
    says("troubleshooting/production.md", "decodes it incrementally")


@pytest.mark.parametrize("how", ["iter_lines", "iter_bytes", "iter_text"])
def test_with_streaming_response_lets_the_http_error_through(how):
    cut = Body([sse(START, *text_block(0, "Hello")[:2])], error=httpx2.RemoteProtocolError("x"))
    client = client_for(cut)
    with pytest.raises(httpx2.RemoteProtocolError):
        with client.messages.with_streaming_response.create(**REQUEST, stream=True) as r:
            for _ in getattr(r, how)():
                pass
    whole = Body([sse(START, *text_block(0, "Hello"), *end())])
    with client_for(whole).messages.with_streaming_response.create(**REQUEST, stream=True) as r:
        assert b"message_stop" in b"".join(r.iter_bytes())
    says("troubleshooting/errors.md", "`client.messages.with_streaming_response`")
    says("troubleshooting/errors.md", "let the `httpx2` exception through unwrapped")
