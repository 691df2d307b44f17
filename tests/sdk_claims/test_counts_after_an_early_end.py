"""Truth read 4, reader B: the figures a sample prints when the body ends cleanly before
`message_delta` (a proxy closing it). The SDK then hands back the snapshot, whose
`output_tokens` is `message_start`'s starting count; a sample must not print it as the
answer's count (docs/guides/measure.md, docs/guides/usage.md)."""

from __future__ import annotations

import runpy

import anthropic
import pytest

from streamdocs.emulator.canned import START, Body, client_serving, end, sse, text_block
from streamdocs.paths import SNIPPETS
from tests.sdk_claims import says


def ended_early(name: str, monkeypatch, capsys) -> tuple[str, object]:
    """Run a sample whose every request gets message_start and a text block, then a clean
    end; its output and its exit code (0 when it did not exit)."""
    body = sse(START, *text_block(0, "Salt wind", " on the swell"))
    monkeypatch.setattr(
        anthropic, "Anthropic", lambda **options: client_serving(Body([body]), **options)
    )
    code = 0
    try:
        runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    except SystemExit as stop:
        code = stop.code
    return capsys.readouterr().out, code


def test_the_speed_sample_prints_no_rate_without_a_final_count(monkeypatch, capsys):
    """B2: without message_delta, output_tokens is message_start's 1: no rate from it."""
    out, code = ended_early("measure_speed", monkeypatch, capsys)
    assert "Salt wind on the swell" in out and "stop_reason: None" in out
    assert "tokens/s" not in out and "output tokens in" not in out, out
    assert code == "The stream ended early: no output count to measure.", code
    says("guides/measure.md", "has no count to divide", "starting count")


def test_the_caching_sample_prints_no_output_count_without_a_final_count(monkeypatch, capsys):
    """B3: the caching sample's output count is unknown when message_delta never came."""
    out, code = ended_early("prompt_caching", monkeypatch, capsys)
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("[None]")]
    assert len(lines) == 2 and all(line.endswith("output=unknown") for line in lines), out
    assert START["message"]["usage"]["output_tokens"] == 1 and "output=1" not in out
    says("guides/usage.md", "the caching sample above prints `output=unknown` then")


@pytest.mark.parametrize("name", ["measure_speed", "prompt_caching"])
def test_a_whole_answer_still_prints_its_final_count(name, monkeypatch, capsys):
    """The guard keys on the stop reason only: a whole answer keeps its figures."""
    body = sse(START, *text_block(0, "Salt wind"), *end(output_tokens=9))
    monkeypatch.setattr(
        anthropic, "Anthropic", lambda **options: client_serving(Body([body]), **options)
    )
    runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert ("9 output tokens in" in out) if name == "measure_speed" else ("output=9" in out)
