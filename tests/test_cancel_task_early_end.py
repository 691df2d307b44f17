"""The cancel-task sample on the stop-early guide tells a cut answer from a finished one
(C2): a body that ends cleanly before message_stop, and before Stop, has no stop reason,
and the sample must not call that "the answer ended first"."""

from __future__ import annotations

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner
from tests.sdk_claims import says


def test_a_task_whose_body_ends_early_is_not_called_finished(emulator_env, monkeypatch):
    sdk_internals.reuse_tls_context(monkeypatch)
    with Emulator() as emulator:
        emulator_env(emulator)
        with emulator.answering("early_end"):
            result = runner.run_script(SNIPPETS / "cancel_task.py", catch=True)
    assert result.exit_code == 1 and not result.crash, result.output
    assert "the answer ended first" not in result.output, result.output
    assert "ended early" in result.output, result.output
    says("guides/stop-early.md", "The task sample below does the same")


def test_the_typescript_stop_sample_does_not_take_a_cut_for_a_finish(emulator_env):
    """C14: the TypeScript tab of the same page, on the same clean early end: it said
    "[the answer ended first: stop_reason null]" and exited 0."""
    import os

    from streamdocs.paths import TYPESCRIPT

    with Emulator() as emulator:
        emulator_env(emulator)
        with emulator.answering("early_end"):
            result = runner.run_node(TYPESCRIPT / "stop_early.ts", dict(os.environ))
    assert result.exit_code == 1 and not result.crash, result.output
    assert "the answer ended first" not in result.output, result.output
    assert "ended early" in result.output, result.output
