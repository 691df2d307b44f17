"""Truth read 4 (D6, D7, D11, D12): what docs/reference/answer-matrix.md says about how its
runs are answered and judged, against the emulator and the machinery that does it."""

from __future__ import annotations

import re

import anthropic
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.emulator.scenarios import load_scenarios
from streamdocs.paths import ROOT
from streamdocs.samples import fuzz, matrix, variants
from tests.sdk_claims import never_says, says

PAGE = "reference/answer-matrix.md"
REQUEST = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "hi"}],
}


def test_a_shape_answers_the_sdks_retries_of_the_first_request_too(monkeypatch):
    """D6: not "a retry gets an ordinary answer": all three attempts get the 529."""
    sdk_internals.no_retry_wait(monkeypatch)
    with Emulator() as emulator, emulator.answering("overloaded"):
        client = anthropic.Anthropic(api_key=matrix.KEY, base_url=emulator.url, max_retries=2)
        before = len(emulator.requests)
        with pytest.raises(anthropic.OverloadedError):
            with client.messages.stream(**REQUEST) as stream:
                stream.until_done()
        assert len(emulator.requests) - before == 3
    assert load_scenarios()["tool_use_always"].every_request
    never_says(PAGE, "any later request (a tool loop, a retry) gets an ordinary answer")
    says(
        PAGE,
        "A shape answers the sample's first request and the SDK's retries of it",
        "except under `tool_use_always`, which calls the tool on every request",
    )


def test_the_real_timeouts_run_is_a_command_that_exists_and_stalls_inside_the_text():
    """D7: `make fuzz --real-timeouts` is make's own (unknown) option; and only the stall
    inside a text block is run past the samples' own timeouts."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nfuzz:", 1)[1]
    assert "$(FUZZ_ARGS)" in recipe.split("\n\n", 1)[0]
    ran: list[variants.Variant] = []

    def judged(batch, real=False):
        assert real, "the real-timeouts run keeps the samples' own timeouts"
        ran.extend(batch)
        return [[] for _ in batch]

    fuzz._real_timeouts(matrix.samples(), judged)
    assert ran and {v.label.removeprefix("silent ") for v in ran} == {"inside a text block"}
    assert {v.fault.stall_seconds for v in ran} == {variants.REAL_STALL}
    never_says(PAGE, "`make fuzz --real-timeouts`")
    says(PAGE, "`make fuzz FUZZ_ARGS=--real-timeouts` also stalls each sample inside its text")


def test_a_sample_that_handles_errors_may_recover_and_the_page_says_so():
    """D11: the verdict lets a sample that handles errors exit 0 when it recovered."""
    source = re.sub(r"\s+", " ", (ROOT / "streamdocs/samples/matrix.py").read_text())
    assert "named = lines[-2:] if run.exit_code else lines" in source
    says(PAGE, "or recovers (a request it sends again gets the answer; it exits 0)")


def test_the_page_says_what_completes_means_on_a_failure_row():
    """D12: on a failure shape, exit 0 is all "Completes" says."""
    facts = matrix.facts(load_scenarios()["early_end"], REQUEST)
    assert facts.failure == "early_end"
    says(
        PAGE,
        'On a failure row, "Completes (exit 0)" says only that the run exited 0',
        "printed what arrived without noticing that the answer was cut short",
    )
