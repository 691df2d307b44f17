"""The relay guide's app and page, in real Chromium, with the emulator behind the app.

The emulator sends an event every PACE seconds, so an answer takes a few seconds: long
enough to see it arrive piece by piece, to press Stop in the middle, or to close the tab.
Moments are compared with each other, never with a clock.
"""

from __future__ import annotations

import os
import time
from types import SimpleNamespace

import pytest

from streamdocs import demo
from streamdocs.emulator import Emulator
from streamdocs.emulator.scenarios import load_scenario
from streamdocs.loopback import AppServer
from streamdocs.paths import TYPESCRIPT
from streamdocs.samples import matrix, runner

PACE = 0.12
MARGIN = 0.5  # seconds the first words must show before the answer ends
QUESTION = "What can you do?"  # any prompt: each test forces the shape that answers
MARKUP = """\
description: An answer holding markup, which the page must show as text.
content:
  - text: 'Use <img src=x onerror="document.title=1"> and <b>bold</b> &amp; more, said the model.'
"""


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    with Emulator(delay=PACE) as emu:
        scenario = tmp_path_factory.mktemp("scenarios") / "markup.yaml"
        scenario.write_text(MARKUP, encoding="utf-8")
        emu.scenarios["markup"] = load_scenario(scenario)
        yield emu


@pytest.fixture(scope="module", params=["python", "typescript"])
def relay(emulator, request):
    """The page served by either relay: Python's app under uvicorn, or the TypeScript
    one (snippets/ts/relay_app.ts) under Node, as a reader runs each."""
    if request.param == "typescript":
        env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "RELAY_TOKENS": demo.TOKENS,
               "ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": emulator.url}  # fmt: skip
        with runner.node_server(TYPESCRIPT / "relay_app.ts", env) as (port, _):
            yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
        return
    with demo.api_env(emulator.url):
        app = demo.relay_app()
    with AppServer(app) as server:
        yield server


@pytest.fixture
def page(browser, relay):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.foreign = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "request",
        lambda request: request.url.startswith(relay.url) or page.foreign.append(request.url),
    )
    page.goto(relay.url)
    yield page
    context.close()
    assert not page.errors, page.errors
    assert not page.foreign, f"the page asked for something off this machine: {page.foreign}"


def ask(page, question: str = QUESTION, token: str = demo.TOKEN) -> None:
    page.fill("#token", token)
    page.fill("#message", question)
    page.click("#send")


def answer(page) -> str:
    return page.eval_on_selector("#answer", "element => element.textContent")


def status(page) -> str:
    return page.eval_on_selector("#status", "element => element.textContent")


def wait_for_words(page) -> float:
    page.wait_for_function("document.getElementById('answer').textContent.length > 0")
    return time.monotonic()


def wait_until_done(page) -> float:
    page.wait_for_function("!document.getElementById('send').disabled")
    return time.monotonic()


def expected(emulator, shape: str) -> matrix.Facts:
    """What the emulator sent for the last request, as the answer matrix computes it."""
    return matrix.facts(emulator.scenarios[shape], emulator.requests[-1]["json"])


def wait_for_close(emulator, before: int) -> None:
    """The emulator saw the upstream connection close before the answer was all sent."""
    deadline = time.monotonic() + 10
    while len(emulator.closed_early) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(emulator.closed_early) > before, (
        "the emulator streamed on after the browser left: the relay did not close its "
        "request to the API"
    )


def test_text_shows_as_it_arrives_and_ends_exactly_as_sent(page, emulator):
    with emulator.answering("text"):
        ask(page)
        first_words = wait_for_words(page)
        partial = answer(page)
        ended = wait_until_done(page)
    full = expected(emulator, "text").text
    assert ended - first_words >= MARGIN, (
        f"the first words showed only {ended - first_words:.2f} s before the end: "
        "the answer was not shown as it arrived"
    )
    assert partial and full.startswith(partial) and partial != full
    assert answer(page) == full
    assert status(page) == ""


@pytest.mark.parametrize("leave", ["stop", "close"])
def test_leaving_closes_the_request_to_the_api(page, emulator, leave):
    before = len(emulator.closed_early)
    with emulator.answering("text"):
        ask(page)
        wait_for_words(page)
        if leave == "stop":
            page.click("#stop")
            page.wait_for_function("document.getElementById('status').textContent")
            shown = answer(page)
            assert status(page) == "Stopped."
            assert shown and expected(emulator, "text").text.startswith(shown)
        else:
            page.close()
        wait_for_close(emulator, before)


@pytest.mark.parametrize(
    ("shape", "says"),
    [
        ("error_event", "Error (overloaded_error): Overloaded"),
        ("connection_cut", "Error (APIConnectionError): The connection to the API was"),
    ],
)
def test_a_failure_mid_answer_is_shown_beneath_the_text_kept(page, emulator, shape, says):
    with emulator.answering(shape):
        ask(page)
        wait_until_done(page)
    facts = expected(emulator, shape)
    assert facts.partial, "the shape sends some text before it fails"
    assert answer(page) == facts.partial
    assert status(page).startswith(says)


def test_model_output_is_shown_as_text_not_markup(page, emulator):
    with emulator.answering("markup"):
        ask(page)
        wait_until_done(page)
    assert answer(page) == expected(emulator, "markup").text
    assert page.locator("#answer img, #answer b").count() == 0
    assert page.title() == "Ask Claude"


def test_a_refused_question_says_why(page, emulator):
    before = len(emulator.requests)
    # the textarea's own maxlength stops a reader typing more; a script can still send it
    page.eval_on_selector("#message", "element => element.removeAttribute('maxlength')")
    ask(page, "x" * 4001)
    wait_until_done(page)
    assert status(page).startswith("Not sent (422): String should have at most 4000")
    assert len(emulator.requests) == before


def test_an_unknown_token_says_why_and_sends_nothing(page, emulator):
    before = len(emulator.requests)
    ask(page, token="not-a-token-we-issued")
    wait_until_done(page)
    assert status(page) == "Not sent (401): Unknown or missing token."
    assert len(emulator.requests) == before
