"""Stopping early releases the connection: live against a paced emulator, which notes when
a client goes away mid-stream. The stop-early guide's claims, one test each."""

from __future__ import annotations

import time

import anthropic
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS
from streamdocs.samples import matrix, runner
from tests.sdk_claims import says

REQUEST = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Tell me a short story about a robot."}],
}
PACE = 0.03  # seconds between events: the whole story takes over 2 s


@pytest.fixture
def emulator():
    with Emulator(delay=PACE) as emu:
        yield emu


def closed_within(emulator: Emulator, since: float, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(t >= since for t in emulator.closed_early):
            return True
        time.sleep(0.01)
    return False


def test_break_inside_the_with_block_closes_the_connection(emulator, emulator_env, monkeypatch):
    sdk_internals.reuse_tls_context(monkeypatch)
    emulator_env(emulator)
    start = time.monotonic()
    result = runner.run_script(SNIPPETS / "stop_early.py", catch=True)
    assert result.exit_code == 0 and "[stopped after" in result.output, result.output
    assert time.monotonic() - start < 1.5, "it stopped reading, not waited for the end"
    assert closed_within(emulator, start, 1.0), "the server still streams to nobody"


def test_a_raw_stream_stays_open_after_break_until_closed(emulator):
    client = anthropic.Anthropic(base_url=emulator.url, api_key=matrix.KEY)
    stream = client.messages.create(**REQUEST, stream=True)
    for event in stream:
        if event.type == "content_block_delta":
            break
    left = time.monotonic()
    assert not closed_within(emulator, left, 0.3), "break alone closed the raw stream"
    stream.close()
    assert closed_within(emulator, left, 1.0), "close() did not release the connection"


def test_cancelling_the_task_closes_the_connection(emulator, emulator_env, monkeypatch):
    """snippets/cancel_task.py, as the page shows it: the cancelled task's connection closes
    at once, long before the story would have ended."""
    sdk_internals.reuse_tls_context(monkeypatch)
    emulator_env(emulator)
    start = time.monotonic()
    result = runner.run_script(SNIPPETS / "cancel_task.py", catch=True)
    assert result.exit_code == 0 and "[stopped after" in result.output, result.output
    assert time.monotonic() - start < 1.5, "it stopped reading, not waited for the end"
    assert closed_within(emulator, start, 1.0), "the cancelled stream kept its connection"


def test_a_body_that_ends_early_is_not_taken_for_a_stop(emulator, emulator_env, monkeypatch):
    """T11: a clean early end leaves the loop without a break, stop_reason None: the sample
    must not say it stopped on purpose."""
    sdk_internals.reuse_tls_context(monkeypatch)
    emulator_env(emulator)
    with emulator.answering("early_end"):
        result = runner.run_script(SNIPPETS / "stop_early.py", catch=True)
    assert result.exit_code == 1 and not result.crash, result.output
    assert "[stopped after" not in result.output and "ended early" in result.output
    says("guides/stop-early.md", "That is a cut answer, not a stop.")


def test_a_stopped_stream_never_gets_its_final_usage(emulator):
    """T47: what is certain about the cost of a stop: message_delta never arrives, so the
    output count is message_start's starting count."""
    client = anthropic.Anthropic(base_url=emulator.url, api_key=matrix.KEY)
    with client.messages.stream(**REQUEST) as stream:
        seen = []
        for event in stream:
            seen.append(event.type)
            if event.type == "text":
                break
        started = stream.current_message_snapshot.usage.output_tokens
    assert "message_delta" not in seen and started <= 1
    says("guides/stop-early.md", "treat the output count of a stopped stream as unknown")
