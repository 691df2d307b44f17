"""Which answers the SDK retries, as errors.md, complete-example.md and exceptions.md say."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, sse, text_block
from tests.sdk_claims import says

# --- retries (errors.md, complete-example.md, exceptions.md) ---------------------------------


def attempts(status: int, headers: dict | None = None) -> int:
    sent: list = []
    client = client_serving((status, headers or {}), sent=sent, max_retries=1)
    with pytest.raises(anthropic.APIStatusError):
        with client.with_options(timeout=5).messages.stream(**REQUEST):
            pass
    return len(sent)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 501, 529, 599])
def test_these_statuses_are_retried(status, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _: None)
    assert attempts(status) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 499])
def test_these_statuses_are_not_retried(status):
    assert attempts(status) == 1


def test_x_should_retry_overrides_the_status(monkeypatch):
    """Finding 9, 22: the pages say the header decides either way."""
    monkeypatch.setattr("time.sleep", lambda _: None)
    assert attempts(400, {"x-should-retry": "true"}) == 2
    assert attempts(503, {"x-should-retry": "false"}) == 1
    assert attempts(429, {"x-should-retry": "false"}) == 1
    for page in ("troubleshooting/errors.md", "complete-example.md", "reference/exceptions.md"):
        says(page, "x-should-retry")


def test_nothing_is_retried_once_a_200_stream_has_started():
    body = Body([sse(START, *text_block(0, "Half"))], httpx2.RemoteProtocolError("cut"))
    sent: list = []
    client = client_serving(body, sent=sent, max_retries=2)
    with pytest.raises(anthropic.APIConnectionError) as raised:
        with client.messages.stream(**REQUEST) as stream:
            stream.until_done()
    assert len(sent) == 1
    assert isinstance(raised.value.__cause__, httpx2.RemoteProtocolError)
    says("complete-example.md", "Nothing is retried once a 200 response has started")
