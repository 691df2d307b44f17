"""Samples whose output depends on timing (SPECIAL cases with a `pace`): run live against
the emulator at that pace; their output is checked with measured numbers masked
(runner.TIMINGS), so no test asserts an absolute time."""

from __future__ import annotations

import pytest

from streamdocs.emulator import Emulator
from streamdocs.samples import runner
from streamdocs.samples.cases import SPECIAL

PACED = [case for case in SPECIAL.values() if case.pace is not None]


@pytest.mark.parametrize("case", PACED, ids=lambda case: case.name)
def test_paced_sample(case, emulator_env, fast_sdk, request):
    with Emulator(delay=case.pace) as emulator:
        emulator_env(emulator)
        result = runner.run_script(case.snippet, catch=True)
    assert result.exit_code == case.exit_code and not result.crash, result.output
    update = request.config.getoption("--update-outputs")
    runner.check_output(case.name, case.snippet, case.output, result.output, update, mask=True)


def test_the_mask_hides_numbers_of_time_only():
    line = "time to first token: 0.12 s; after it: 17 tokens in 0.85 s (20 tokens/s)"
    assert runner.masked(line) == (
        "time to first token: # s; after it: 17 tokens in # s (# tokens/s)"
    )


def test_outputs_keep_no_loopback_port():
    said = "Stream failed: Request to 127.0.0.1:41035 timed out after 1s"
    assert runner.unvarying(said) == "Stream failed: Request to 127.0.0.1:PORT timed out after 1s"
    assert runner.masked(said) == runner.unvarying(said)
