"""Which class the SDK raises for an error, as the exceptions pages say."""

from __future__ import annotations

import anthropic
import pytest

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, sse, text_block
from tests.sdk_claims import never_says, says


def raised_for(status: int) -> type:
    with pytest.raises(anthropic.APIStatusError) as raised:
        client_serving((status, {})).messages.create(**REQUEST)
    return type(raised.value)


@pytest.mark.parametrize("status", [405, 410, 415, 418, 451])
def test_a_4xx_without_a_class_of_its_own_raises_api_status_error_itself(status):
    assert raised_for(status) is anthropic.APIStatusError


@pytest.mark.parametrize("status", [500, 502, 505])
def test_a_5xx_without_a_class_of_its_own_raises_internal_server_error(status):
    assert raised_for(status) is anthropic.InternalServerError


def test_the_api_pages_do_not_promise_a_class_per_status():
    assert raised_for(404) is anthropic.NotFoundError
    never_says("reference/api/exceptions.md", "one subclass per error status")
    says("reference/api/exceptions.md", "Any other `4xx` status raises `APIStatusError` itself")
    says("reference/api/status-errors.md", "`APIStatusError` itself for any other `4xx`")


def test_an_error_event_raises_a_plain_api_status_error_with_status_200():
    """Even with an error_code that has a class of its own at HTTP 529: the class is looked
    up by the response's status, 200 here."""
    error = {
        "type": "error",
        "error": {
            "type": "overloaded_error",
            "message": "Overloaded",
            "details": {"error_code": "compaction_unavailable"},
        },
    }
    body = Body([sse(START, *text_block(0, "Half")[:2], error)])
    with pytest.raises(anthropic.APIStatusError) as raised:
        with client_serving(body).messages.stream(**REQUEST) as stream:
            stream.until_done()
    assert type(raised.value) is anthropic.APIStatusError
    assert raised.value.status_code == 200
    assert not isinstance(raised.value, anthropic.OverloadedError)
    says(
        "reference/api/exceptions.md",
        "with `status_code` 200 and never as a subclass",
        "`except anthropic.OverloadedError` does not catch an overload that arrives mid-stream",
    )
