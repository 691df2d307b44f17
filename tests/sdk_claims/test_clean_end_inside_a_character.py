"""Truth read 4, A1: a body that ends cleanly inside a multi-byte character is the one clean
end the SDK raises on, a bare `UnicodeDecodeError`; the complete example reports it as an
early end, in one line, keeping the text."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, sse, text_block
from streamdocs.emulator.variants import Fault
from streamdocs.paths import SNIPPETS
from streamdocs.samples import matrix, runner
from streamdocs.samples.variants import recorded_body
from tests.sdk_claims import never_says, says


def _cut_inside_the_dash() -> bytes:
    body = sse(START, *text_block(0, "gray horizon—the tide"))
    return body[: body.index("—".encode()) + 1]


def test_a_clean_end_inside_a_character_raises_an_unwrapped_unicode_decode_error():
    with client_serving(Body([_cut_inside_the_dash()])).messages.stream(**REQUEST) as stream:
        with pytest.raises(UnicodeDecodeError) as raised:
            stream.until_done()
    assert not isinstance(raised.value, anthropic.AnthropicError)
    # the same bytes dropped abruptly are a connection error, wrapped
    body = Body([_cut_inside_the_dash()], error=httpx2.RemoteProtocolError("cut"))
    with client_serving(body).messages.stream(**REQUEST) as stream:
        with pytest.raises(anthropic.APIConnectionError):
            stream.until_done()
    says("concepts.md", "where its decoder raises a plain `UnicodeDecodeError`")
    never_says("concepts.md", "the SDK does not complain if the body ends cleanly")
    says("complete-example.md", "the SDK's decoder raises `UnicodeDecodeError` as it is")


def test_the_complete_example_reports_a_clean_end_inside_a_character(sample_env, monkeypatch):
    sdk_internals.reuse_tls_context(monkeypatch)
    body = recorded_body("complete_example")
    dash = body.index("—".encode())
    with Emulator() as emulator:
        url = emulator.add_case("inside-dash", Fault(body, cut_at=dash + 1, abrupt=False))
        sample_env(None, {"ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": url})
        result = runner.run_script(SNIPPETS / "complete_example.py", catch=True)
    assert result.crash is None, result.output
    assert result.exit_code == 1, result.output
    assert "Stream failed: the stream ended inside a character" in result.output
    assert "gulls stitch the" in result.output  # the text before the cut stays
