"""`make fuzz`'s own machinery, without running samples: its search shrinks a failing break
to the smallest, prints a command that replays it, and keeps it as an answer shape that
breaks where the recording broke."""

from __future__ import annotations

import argparse
import re

from streamdocs.emulator import Emulator, client
from streamdocs.emulator.scenarios import load_scenario
from streamdocs.emulator.variants import event_ends
from streamdocs.samples import fuzz, matrix, variants
from streamdocs.sse import json_events

[SAMPLE] = [s for s in matrix.samples() if s.name == "text_stream"]
THRESHOLD = 700  # the fake verdict fails every drop at this byte or later


def fake_judged(batch):
    """A stand-in for running samples: a cut fails from THRESHOLD on."""
    return [
        ["it broke"] if v.kind == "cut" and v.fault.abrupt and v.fault.cut_at >= THRESHOLD else []
        for v in batch
    ]


def test_the_search_shrinks_to_the_smallest_failing_break_and_says_how_to_replay(capsys):
    args = argparse.Namespace(seed=1, examples=60, no_shapes=True)
    [spec] = fuzz._search([SAMPLE], args, fake_judged)
    assert spec == f"text_stream@0:cut={THRESHOLD}", spec
    printed = capsys.readouterr().out
    assert f"byte {THRESHOLD} of" in printed and "smallest failing break" in printed
    assert variants.from_spec(spec).fault.cut_at == THRESHOLD


def test_a_kept_failure_is_a_shape_that_breaks_after_the_same_events(tmp_path, monkeypatch):
    body = variants.recorded_body("text_stream")
    ends = event_ends(body)
    cut = ends[5] + 9  # nine bytes into the seventh event
    variant = variants.from_spec(f"text_stream@0:cut={cut}")
    monkeypatch.setattr(fuzz, "SHAPE_DIR", tmp_path)
    path = fuzz.write_shape(variant, seed=7)
    assert re.fullmatch(r"fuzz_text_stream_[0-9a-f]{8}\.yaml", path.name)
    shape = load_scenario(path)  # a valid scenario file
    assert shape.reply(0).interrupt.after_events == 6 and shape.reply(0).interrupt.cut
    recorded_text = "".join(
        d["delta"]["text"] for _, d in json_events(body) if d.get("delta", {}).get("text")
    )
    assert shape.text == recorded_text
    with Emulator(scenario_dir=tmp_path) as emulator:
        request = {**SAMPLE.request}
        _, received = client.post(emulator.base_url(path.stem), request, headers={
            "x-api-key": "sk-ant-fuzz", "anthropic-version": "2023-06-01"})  # fmt: skip
    assert len(json_events(received)) == 6, received[-200:]
