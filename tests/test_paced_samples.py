"""Samples whose output depends on timing (SPECIAL cases with a `pace`): run live against
the emulator at that pace; their output is checked with measured numbers masked
(runner.TIMINGS), so no test asserts an absolute time."""

from __future__ import annotations

import json
import re

import pytest

from streamdocs.emulator import Emulator
from streamdocs.recording import cassettes
from streamdocs.samples import runner
from streamdocs.samples.cases import SPECIAL
from tests.sdk_claims import never_says, says

PACED = [case for case in SPECIAL.values() if case.pace is not None]


@pytest.fixture
def unhurried_sdk(fast_sdk, monkeypatch):
    """A paced answer never stalls: a client without its own timeout waits 10 s, not the
    1 s `fast_sdk` gives the failure shapes, so a busy machine's late event is no stall."""
    from streamdocs import sdk_internals

    sdk_internals.short_default_read_timeout(monkeypatch, 10.0)


@pytest.mark.parametrize("case", PACED, ids=lambda case: case.name)
def test_paced_sample(case, emulator_env, unhurried_sdk, request):
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


def test_the_speed_sample_divides_every_token_by_the_whole_time(emulator_env, unhurried_sdk):
    """T4: output_tokens holds every token, the first fragment's and the thinking before it
    included, so the rate is taken over the whole request, not from the first text on."""
    case = SPECIAL["measure_speed"]
    with Emulator(delay=case.pace) as emulator:
        emulator_env(emulator)
        result = runner.run_script(case.snippet, catch=True)
    assert result.exit_code == 0, result.output
    first = float(re.search(r"time to first text: ([\d.]+) s", result.output)[1])
    rate_line = r"(\d+) output tokens in ([\d.]+) s \((\d+) tokens/s overall\)"
    tokens, seconds, rate = re.search(rate_line, result.output).groups()
    assert float(seconds) >= first, "the rate's time must start at the request"
    assert abs(int(rate) - int(tokens) / float(seconds)) <= 1 + 0.05 * int(rate)
    body = cassettes.load(case.cassette)["interactions"][0]["response"]["body"]["string"]
    delta = json.loads(re.search(r"event: message_delta\ndata: (.*)", body)[1])
    assert int(tokens) == delta["usage"]["output_tokens"], "not the final, cumulative count"
    says("guides/measure.md", "the one rate you can compute exactly is over the whole request")
    never_says("guides/measure.md", "the output speed from there to the end")
