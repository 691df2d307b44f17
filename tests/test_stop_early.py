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
