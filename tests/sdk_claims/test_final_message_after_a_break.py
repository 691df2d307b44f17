"""Truth read 4, A3: after a `break`, `get_final_message()` outside the `with` block raises
"Bad file descriptor" only when part of the answer was still to come (the emulator's paced
answer, tests/sdk_claims/test_stream_endings.py); when all of it had arrived in one read, it
returns the whole message. Which one a program meets depends on timing."""

from __future__ import annotations

import anthropic
from aiohttp import web

from streamdocs.emulator.canned import REQUEST, START, end, sse, text_block
from streamdocs.loopback import LoopbackServer
from streamdocs.samples import matrix
from tests.sdk_claims import says

BODY = sse(START, *text_block(0, "a", "b", "c"), *end())


async def whole_answer_at_once(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(body=BODY, content_type="text/event-stream")


def test_after_a_break_an_answer_that_had_all_arrived_comes_back_whole():
    app = web.Application()
    app.router.add_post("/v1/messages", whole_answer_at_once)
    outcomes = []
    with LoopbackServer(app) as server:
        for _ in range(5):
            client = anthropic.Anthropic(api_key=matrix.KEY, base_url=server.url)
            with client.messages.stream(**REQUEST) as stream:
                for _ in stream.text_stream:
                    break
            message = stream.get_final_message()
            outcomes.append((message.content[0].text, message.stop_reason))
    assert set(outcomes) == {("abc", "end_turn")}
    says(
        "guides/python-sync.md",
        "Which way that goes depends on timing",
        "if all of it had already arrived (a short answer, a fast network), they return the "
        "whole message",
    )
