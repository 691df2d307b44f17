"""Re-recording: an unchanged exchange leaves its cassette byte for byte."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from streamdocs.paths import SUITE, copy_project
from streamdocs.recording import cassettes

OLD = """recorded:
  source: local emulator
  recorded_at: '2026-11-01'
version: 1
interactions:
- request: {method: POST, body: {json: {max_tokens: 8}}}
  response: {status: {code: 200}}
"""


def test_an_unchanged_exchange_keeps_its_file_and_date(tmp_path):
    same, changed = tmp_path / "same.yaml", tmp_path / "changed.yaml"
    rerecorded = OLD.replace("2026-11-01", "2026-11-30")
    same.write_text(rerecorded, encoding="utf-8")
    changed.write_text(rerecorded.replace("max_tokens: 8", "max_tokens: 9"), encoding="utf-8")

    cassettes.keep_unchanged({same: OLD, changed: OLD})

    assert same.read_text(encoding="utf-8") == OLD
    assert "2026-11-30" in changed.read_text(encoding="utf-8")


def test_make_record_for_one_sample_brings_back_its_cassette_and_nothing_else(tmp_path):
    """`make record NAME=...` in a scratch copy: the deleted cassettes of the curl sample and
    of a sample in Python and TypeScript come back as they were, but for the date they say
    they were recorded (today's; a deleted cassette has no old date to keep); every other
    file stays byte for byte."""
    project = copy_project(tmp_path, SUITE)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for name in ("curl_stream", "text_stream", "ts/text_stream"):
        (project / "cassettes" / f"{name}.yaml").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--record-mode=rewrite"]
        + ["tests/test_samples.py", "tests/test_curl.py"]
        + ["--sample", "curl_stream", "--sample", "text_stream"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "ANTHROPIC_API_KEY": ""},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 passed" in result.stdout, result.stdout[-3000:]  # NAME=text_stream: both languages
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for name in ("curl_stream", "text_stream", "ts/text_stream"):
        path = project / "cassettes" / f"{name}.yaml"
        before[path], after[path] = undated(before[path]), undated(after[path])
    changed = sorted(str(p.relative_to(project)) for p in after if after[p] != before.get(p))
    assert changed == [], f"re-recording changed {changed}"


def undated(cassette: bytes) -> bytes:
    return re.sub(rb"\n  recorded_at: '[\d-]+'\n", b"\n", cassette, count=1)


def test_the_pages_say_the_recordings_come_from_the_emulator():
    """T21, T38, T44: while every cassette is the emulator's, the pages that present the
    recordings say so, and none says the API sent what the emulator did."""
    from streamdocs.paths import CASSETTES
    from tests.sdk_claims import never_says, says

    sources = {
        cassettes.load(path)["recorded"]["source"] for path in sorted(CASSETTES.glob("*.yaml"))
    }
    assert sources == {"local emulator"}, (
        f"cassettes now come from {sorted(sources)}: revise what docs/index.md, concepts.md "
        "and complete-example.md say about where the recordings come from, then this test"
    )
    says("index.md", "The recordings come from the project's local emulator")
    says("concepts.md", "the caption says where it was recorded")
    says("complete-example.md", "here from the project's emulator")
    never_says("complete-example.md", "The API sent an `overloaded_error`")
    never_says("index.md", "replaying a recorded API response")
