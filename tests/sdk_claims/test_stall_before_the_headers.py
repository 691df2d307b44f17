"""Truth read 4, A2: silence before the response headers is a timeout of the request itself,
which the SDK retries: `APITimeoutError` comes only after `max_retries` + 1 read timeouts,
not after one, as it does once the answer has started."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.emulator.canned import REQUEST, START, end, sse, text_block
from streamdocs.emulator.variants import Fault
from streamdocs.samples import matrix
from tests.sdk_claims import says

BODY = sse(START, *text_block(0, "Hi"), *end())
READ = 0.3  # the client's read timeout here; each stall lasts longer


@pytest.mark.parametrize(("stall_at", "attempts"), [("headers", 3), (len(BODY) // 2, 1)])
def test_a_stall_before_the_headers_is_retried_one_after_them_is_not(stall_at, attempts):
    with Emulator() as emulator:
        url = emulator.add_case("stall", Fault(BODY, stall_at=stall_at, stall_seconds=1.0))
        client = anthropic.Anthropic(
            api_key=matrix.KEY, base_url=url, timeout=httpx2.Timeout(READ, connect=5.0)
        )
        with pytest.raises(anthropic.APITimeoutError):
            with client.messages.stream(**REQUEST) as stream:
                stream.until_done()
        sent = len(emulator.case_log("stall").requests)
    assert sdk_internals.DEFAULT_MAX_RETRIES == 2
    assert sent == attempts
    says(
        "complete-example.md",
        "Once the answer has started, `APITimeoutError` comes after the read timeout",
        "the SDK retries it like any timeout",
        "(`max_retries` + 1 read timeouts, and the back-off between them)",
    )
