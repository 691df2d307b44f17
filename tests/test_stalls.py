"""Stalls, live against the emulator: the watchdog sample gives up on a stall longer than
its limit and waits out a shorter one; keep-alive pings satisfy a read timeout but not the
watchdog, which is why the guide shows both."""

from __future__ import annotations

import threading
import time

import anthropic
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS
from streamdocs.samples import matrix, runner
from tests.sdk_claims import says

SAMPLE = SNIPPETS / "stream_watchdog.py"
TEXT = "Just a moment while I put this together. Here it is, at last."  # both stalls


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


@pytest.fixture
def run(emulator, emulator_env, monkeypatch):
    sdk_internals.reuse_tls_context(monkeypatch)
    emulator_env(emulator)

    def go(shape: str, idle: float) -> tuple[runner.Run, float]:
        start = time.monotonic()
        with emulator.answering(shape):
            return runner.run_script(SAMPLE, str(idle), catch=True), time.monotonic() - start

    return go


@pytest.mark.parametrize("shape", ["stall", "stall_with_pings"])
def test_a_stall_shorter_than_the_limit_is_waited_out(run, shape):
    result, _ = run(shape, idle=5.0)  # the stalls last 2 s
    assert result.exit_code == 0, result.output
    assert TEXT in result.stdout and "stop_reason: end_turn" in result.stdout


@pytest.mark.parametrize("shape", ["stall", "stall_with_pings"])
def test_a_stall_longer_than_the_limit_gives_up_and_keeps_the_text(run, shape):
    result, seconds = run(shape, idle=0.5)
    assert result.exit_code == 1 and not result.crash, result.output
    assert "[no event for 0.5 s: gave up]" in result.output
    assert result.stdout.startswith(TEXT[:4])  # what arrived before the stall
    assert seconds < 1.8, "it gave up at the limit, not at the end of the 2 s stall"


def test_a_model_thinking_silently_is_not_given_up_on(run):
    """Its thoughts omitted, only pings arrive for 2 s inside the thinking block: longer
    than the watchdog's limit, which does not apply while a thinking block is open."""
    result, seconds = run("thinking_silently", idle=0.5)
    assert result.exit_code == 0, result.output
    assert TEXT in result.stdout and seconds >= 2


def test_pings_keep_a_read_timeout_from_firing(emulator):
    """Why a read timeout alone is not enough: the pinging stall never trips it."""
    client = anthropic.Anthropic(
        base_url=emulator.base_url("stall_with_pings"),
        api_key=matrix.KEY,
        timeout=anthropic.Timeout(5.0, read=0.5),
    )
    request = {"model": "claude-sonnet-5-5", "max_tokens": 256, "messages": [
        {"role": "user", "content": "Write a haiku about the sea."}]}  # fmt: skip
    with client.messages.stream(**request) as stream:
        assert "".join(stream.text_stream) == TEXT
    silent = anthropic.Anthropic(
        base_url=emulator.base_url("stall"),
        api_key=matrix.KEY,
        timeout=anthropic.Timeout(5.0, read=0.5),
    )
    with pytest.raises(anthropic.APITimeoutError):
        with silent.messages.stream(**request) as stream:
            "".join(stream.text_stream)


def _stream_with_pings(emulator: Emulator):
    client = anthropic.Anthropic(
        api_key=matrix.KEY,
        base_url=emulator.base_url("stall_with_pings"),
        max_retries=0,
        timeout=anthropic.Timeout(60.0, read=0.5, connect=5.0),
    )
    request = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 64}
    return client.messages.stream(model="claude-sonnet-4-6", **request)


def test_a_sync_deadline_inside_the_loop_does_not_cap_a_stream_kept_alive_by_pings(emulator):
    """T31: the deadline is checked only when an event comes, pings never come to the
    loop, and they reset the read timeout: the 2 s stall is waited out."""
    start = time.monotonic()
    with _stream_with_pings(emulator) as stream:
        for _ in stream:
            if time.monotonic() - start > 0.5:  # the deadline
                break
    assert time.monotonic() - start > 1.8, "the stall was cut short: this test shows nothing"
    says("troubleshooting/errors.md", "a deadline checked inside the loop is not enough")


def test_a_timer_that_closes_the_stream_caps_it(emulator):
    """T31: the cap the page gives for synchronous code."""
    start = time.monotonic()
    with pytest.raises(anthropic.APIConnectionError, match="Bad file descriptor"):
        with _stream_with_pings(emulator) as stream:
            timer = threading.Timer(0.5, stream.close)
            timer.start()
            for _ in stream:
                pass
            timer.cancel()
    assert time.monotonic() - start < 1.5, "closing the stream did not end the loop at once"
    assert stream.current_message_snapshot.content[0].text  # what arrived is kept
    says("troubleshooting/errors.md", "`threading.Timer(limit, stream.close).start()`")
