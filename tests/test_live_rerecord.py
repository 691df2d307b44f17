"""The live re-record's script, run end to end with the emulator standing in for the API.

A scratch copy of the project is re-recorded "live" through LIVE_API_URL (the
emulator on loopback) with a cheaper RECORD_MODEL; every proxy variable points at
a closed loopback port, so a request meant for anywhere else fails instead of
leaving the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from streamdocs.emulator import Emulator
from streamdocs.paths import CASSETTES, ROOT, SUITE, copy_project
from streamdocs.recording import cassettes
from streamdocs.recording import live as live_rerecord
from streamdocs.samples import cases
from streamdocs.samples.cases import all_cases

STAND_IN_KEY = "sk-ant-live-stand-in"  # the emulator wants an sk-ant- key
CHEAP = "claude-haiku-5-5"
NOWHERE = "http://127.0.0.1:9"  # a closed port: anything proxied fails at once


def run_script(project, extra_env, *args):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(project),
        "HTTP_PROXY": NOWHERE,
        "HTTPS_PROXY": NOWHERE,
        "ALL_PROXY": NOWHERE,
        "NO_PROXY": "127.0.0.1,localhost",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "streamdocs.recording.live", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_a_key_it_skips_and_says_so(tmp_path):
    result = run_script(ROOT, {})
    assert result.returncode == 0
    assert result.stdout.strip() == live_rerecord.SKIP_MESSAGE


# What the end-to-end run re-records (the weekly workflow records every sample): a Python
# sample and its TypeScript twin, a tool loop (two requests), curl, and a sample with cases
# that force an emulator scenario, which keep their recording.
CHOSEN = ["text_stream", "tool_loop", "curl_stream", "http_errors"]


@pytest.mark.live
def test_the_script_rerecords_the_cassettes_through_the_stand_in(tmp_path):
    project = copy_project(tmp_path, SUITE)
    report = tmp_path / "report.md"
    real = {path: path.read_bytes() for path in CASSETTES.rglob("*.yaml")}
    only = [f"--sample={name}" for name in CHOSEN]
    with Emulator() as emulator:
        env = {"ANTHROPIC_API_KEY": STAND_IN_KEY, "LIVE_API_URL": emulator.url}
        result = run_script(project, {**env, "RECORD_MODEL": CHEAP}, "--report", str(report), *only)
        asked = {(r["json"] or {}).get("model") for r in emulator.requests}
    # the copy's machinery ran, on the copy's cassettes: the real ones are untouched
    assert {path: path.read_bytes() for path in CASSETTES.rglob("*.yaml")} == real
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert asked == {CHEAP}, f"the stand-in was asked for {asked}"

    forced = {case.name for case in all_cases() if case.scenario}
    recorded = set()
    for path in sorted((project / "cassettes").rglob("*.yaml")):
        text = path.read_text()
        name = path.relative_to(project / "cassettes").with_suffix("").as_posix()
        assert STAND_IN_KEY not in text, f"{path.name} holds the key"
        cassette = cassettes.load(path)
        if name in forced or not cases.of_sample(name, CHOSEN):
            # the live API cannot be made to fail on cue; the rest were not asked for
            assert text == (CASSETTES / f"{name}.yaml").read_text(), f"{name} was re-recorded"
            continue
        recorded.add(name)
        assert cassette["recorded"]["source"].startswith(f"live API ({CHEAP} answering")
        for interaction in cassette["interactions"]:
            # The request as the sample sent it (replay matches it), the answer the cheap model's.
            assert interaction["request"]["body"]["json"]["model"] != CHEAP
            assert "x-recording-original-body" not in interaction["request"]["headers"]
            assert CHEAP in interaction["response"]["body"]["string"]
    twins = {"text_stream", "tool_loop", "http_errors"}
    assert recorded == twins | {f"ts/{n}" for n in twins} | {"curl_stream"}, recorded
    written = report.read_text()
    assert "record: exit 0, replay: exit 0" in written
    # The emulator stood in for the API: its answers have the emulator's shapes.
    assert "No difference in event order, fields" in written


def test_the_report_names_each_shape_difference():
    stream = (
        'event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\n'
        'event: content_block_delta\ndata: {"delta":{"type":"text_delta","text":"a"}}\n\n'
        'event: message_stop\ndata: {"type":"message_stop"}\n\n'
    )

    def cassette(body, headers):
        response = {"status": {"code": 200}, "headers": headers, "body": {"string": body}}
        return {"interactions": [{"response": response}]}

    before = {"s": live_rerecord.shape(cassette(stream, {"request-id": ["r"]}))}
    live = stream.replace('{"id":"m"}', '{"id":"m","container":null}').replace(
        "event: message_stop", 'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop'
    )
    after = {"s": live_rerecord.shape(cassette(live, {"request-id": ["r"], "retry-after": ["1"]}))}
    found = "\n".join(live_rerecord.differences(before, after))
    assert "kept headers: only live: retry-after; only emulator: -" in found
    assert "> ping > message_stop" in found
    assert "fields of message_start: only live: message.container" in found
    assert live_rerecord.differences(before, before) == []
