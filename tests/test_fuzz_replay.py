"""D8 (truth read 4): the command `make fuzz` prints for a failure, `make fuzz REPLAY='SPEC'`,
replays it and says what happened, instead of crashing after the run."""

from __future__ import annotations

from streamdocs.samples import fuzz


def _judged(verdict: list[str]):
    """A stand-in for running the sample: every variant gets `verdict`."""
    return lambda batch: [list(verdict) for _ in batch]


def test_a_replayed_failure_names_the_sample_the_break_and_the_problem(capsys):
    spec = "text_stream@0:cut=700:clean"
    assert fuzz._replay(spec, _judged(["it broke"])) == 1
    printed = capsys.readouterr().out
    assert "text_stream" in printed and "ended cleanly at byte 700" in printed
    assert "failed" in printed and "it broke" in printed


def test_a_replayed_variant_that_copes_says_it_passed(capsys):
    assert fuzz._replay("text_stream@0:cut=700", _judged([])) == 0
    assert "passed" in capsys.readouterr().out
