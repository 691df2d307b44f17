"""Re-recording: an unchanged exchange leaves its cassette byte for byte."""

from __future__ import annotations

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
