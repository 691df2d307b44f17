"""Page claims settled by truth read 4, reader C: each test names its finding."""

from __future__ import annotations

import subprocess

from streamdocs.paths import DOCS
from tests.sdk_claims import never_says, says


def test_the_stalls_page_says_the_watchdog_pauses_while_the_model_thinks():
    """C3: stream_watchdog.py reschedules to None inside a thinking block (behaviour:
    tests/test_stalls.py::test_a_model_thinking_silently_is_not_given_up_on), so a stall
    there that pings keep alive is caught by nothing; the page must say so."""
    sample = (DOCS.parent / "snippets" / "stream_watchdog.py").read_text(encoding="utf-8")
    assert "None if thinking" in sample, "the watchdog no longer pauses: revise stalls.md"
    says("guides/stalls.md", "The watchdog pauses while a thinking block is open")
    says("guides/stalls.md", "a stall inside a thinking block that pings keep alive")
    says("guides/stalls.md", "close it from a timer thread")


def test_no_date_is_given_for_the_cumulative_input_counts():
    """C7: no Anthropic page found dates message_delta's input and cache counts."""
    never_says("troubleshooting/production.md", "since mid-2025")
    says("troubleshooting/production.md", 'documents each as "the cumulative number"')


def test_the_repository_ignores_env_files_as_the_page_says():
    """C8: production.md says to add .env to .gitignore and that this repository does."""
    for path in (".env", "deploy/.env"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=DOCS.parent)
        assert ignored.returncode == 0, f".gitignore does not ignore {path}"
    says("troubleshooting/production.md", "This site's own repository ignores `.env`")


def test_no_sample_promises_that_stopping_stops_the_bill():
    """C13, C15 (T47, T49 again, in the TypeScript samples): Anthropic does not document
    whether closing or aborting a request stops generation or billing."""
    snippets = DOCS.parent / "snippets"
    promises = ("billed for", "stop paying", "stops billing", "which stops generating")
    found = [
        f"{path.relative_to(snippets)}: {promise!r}"
        for path in sorted(snippets.rglob("*"))
        if path.suffix in {".py", ".ts", ".js"} and "node_modules" not in path.parts
        for promise in promises
        if promise in " ".join(path.read_text(encoding="utf-8").replace("//", " ").split())
    ]
    assert not found, f"samples promise what is not documented: {found}"
