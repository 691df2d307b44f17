"""The "without the SDK" sample against bodies written by hand, served on loopback: what it
does where nothing but its own code can tell (a clean early end, events without `event:`
lines), as docs/guides/without-sdk.md says."""

from __future__ import annotations

import pytest
from aiohttp import web

from streamdocs.emulator.canned import START, end, sse, text_block
from streamdocs.loopback import LoopbackServer
from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner
from tests.sdk_claims import says

SAMPLE = SNIPPETS / "raw_http.py"


@pytest.fixture
def serve(emulator_env):
    servers = []

    def start(body: bytes) -> None:
        async def answer(request: web.Request) -> web.Response:
            return web.Response(body=body, content_type="text/event-stream")

        app = web.Application()
        app.router.add_post("/v1/messages", answer)
        servers.append(LoopbackServer(app).start())
        emulator_env(servers[-1])

    yield start
    for server in servers:
        server.stop()


def test_a_clean_early_end_is_not_reported_as_a_finished_answer(serve):
    """T7: the body ends after some text, without message_delta or message_stop."""
    serve(sse(START, *text_block(0, "The first half", " of the answ")))
    result = runner.run_script(SAMPLE, catch=True)
    assert result.exit_code == 1 and not result.crash, result.output
    assert "The first half of the answ" in result.output
    assert "stop_reason" not in result.output and "ended early" in result.output
    says("guides/without-sdk.md", "only a missing `message_stop` shows it")


def test_events_without_an_event_line_are_read_by_their_type(serve):
    """T12: the sample dispatches on the JSON `type`, as the page says, not the SSE name."""
    framed = sse(START, *text_block(0, "Whole", " answer."), *end())
    serve(b"\n".join(line for line in framed.split(b"\n") if not line.startswith(b"event:")))
    result = runner.run_script(SAMPLE, catch=True)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Whole answer.\nstop_reason: end_turn\n"
    says("guides/without-sdk.md", "dispatch on its `type`, as the sample does")


def test_decoding_a_chunk_alone_raises_in_python():
    """T34: strict by default; U+FFFD only with errors="replace"."""
    chunk = "data: café".encode()[:-1]  # ends inside "é"
    with pytest.raises(UnicodeDecodeError):
        chunk.decode("utf-8")
    assert chunk.decode("utf-8", errors="replace").endswith("\ufffd")
    says("guides/without-sdk.md", '`chunk.decode("utf-8")` raises `UnicodeDecodeError`')
