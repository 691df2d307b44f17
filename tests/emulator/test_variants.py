"""The emulator's generated-fault delivery (variants.py): a break lands on the byte it
names, and what the case log says arrived is what a client received. Hypothesis draws
the offsets, with a fixed seed and a bounded count (`make fuzz` draws at random)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from streamdocs.emulator import client
from streamdocs.emulator.variants import Fault, event_ends
from streamdocs.samples import matrix, variants
from streamdocs.sse import json_events

[SAMPLE] = [s for s in matrix.samples() if s.name == "text_stream"]
BODY = variants.recorded_body("text_stream")
HEADERS = {"x-api-key": "sk-ant-variants", "anthropic-version": "2023-06-01"}


def text(body: bytes) -> str:
    return "".join(
        d["delta"]["text"] for _, d in json_events(body) if d.get("delta", {}).get("text")
    )


@settings(max_examples=25, derandomize=True, deadline=None)
@given(offset=st.integers(0, len(BODY)), abrupt=st.booleans())
def test_a_cut_lands_on_its_byte_and_the_log_says_what_arrived(emu, offset, abrupt):
    url = emu.add_case("drawn", Fault(BODY, cut_at=offset, abrupt=abrupt))
    _, received = client.post(url, SAMPLE.request, headers=HEADERS)
    log = emu.case_log("drawn")
    assert received == BODY[:offset]
    [arrived] = log.requests
    assert arrived.text == text(received)
    assert arrived.message_stop == (offset == len(BODY))


def test_a_later_answer_breaks_and_the_earlier_one_is_whole(emu):
    """`Fault.request`: make fuzz breaks a recording's later answers too."""
    ends = event_ends(BODY)
    url = emu.add_case("second", Fault(BODY, cut_at=ends[3], request=1))
    _, first = client.post(url, SAMPLE.request, headers=HEADERS)
    _, second = client.post(url, SAMPLE.request, headers=HEADERS)
    log = emu.case_log("second")
    assert [r.message_stop for r in log.requests] == [True, False]
    assert json_events(first)[-1][1]["type"] == "message_stop"
    assert second == BODY[: ends[3]] and len(json_events(second)) == 4


def test_a_case_serves_a_shape_whose_bytes_answer_body_foretells(emu):
    """The kit breaks the bytes `answer_body` says a request gets; the command serves a
    break by offset into the same bytes, so they must be what a request is sent."""
    for shape in ("text_several_blocks", "max_tokens", "thinking_redacted"):
        request = {**SAMPLE.request, "max_tokens": 1024}
        expected = emu.answer_body(request, shape)
        url = emu.add_case("shape", Fault(shape=shape))
        _, first = client.post(url, request, headers=HEADERS)
        _, second = client.post(url, request, headers=HEADERS)  # later requests: natural
        log = emu.case_log("shape")
        assert first == expected, shape
        assert second == emu.answer_body(request) != expected
        assert [r.message_stop for r in log.requests] == [True, True]
        assert log.requests[0].request == request and log.requests[0].body == first


def test_a_break_for_every_request_breaks_each_one(emu):
    """`Fault(request=None)`: `claude-stream-emulator --fault` breaks every request."""
    expected = emu.answer_body(SAMPLE.request, "max_tokens")
    url = emu.add_case("every", Fault(shape="max_tokens", cut_at=300, request=None))
    bodies = [client.post(url, SAMPLE.request, headers=HEADERS)[1] for _ in range(2)]
    assert bodies == [expected[:300]] * 2
    assert [r.message_stop for r in emu.case_log("every").requests] == [False, False]
