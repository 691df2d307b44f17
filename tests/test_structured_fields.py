"""The structured-fields sample shows each field while the answer streams: live against the
emulator, with the connection dropped in the middle of the JSON document."""

from __future__ import annotations

import pytest

from streamdocs.emulator import Emulator
from streamdocs.emulator.scenarios import load_scenarios
from streamdocs.paths import CASSETTES, SNIPPETS
from streamdocs.recording import cassettes
from streamdocs.samples import matrix, runner

SCENARIOS = load_scenarios()


@pytest.mark.live
def test_the_fields_complete_before_a_cut_were_shown_the_rest_not(emulator_env):
    interaction = cassettes.load(CASSETTES / "structured_fields.yaml")["interactions"][0]
    request = interaction["request"]["body"]["json"]
    sent = matrix.facts(SCENARIOS["structured_output_cut"], request)
    # cut after the third key, before its value: high_c is whole, but nothing said so yet
    assert sent.partial == '{"city": "Paris", "high_c": 19, "summary": '
    with Emulator() as emu:
        emulator_env(emu)
        with emu.answering("structured_output_cut"):
            result = runner.run_script(SNIPPETS / "structured_fields.py", catch=True)
    assert result.crash, result.output  # the sample does not handle a dropped connection
    assert result.stdout.splitlines() == ["city: Paris"]
