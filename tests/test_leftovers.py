"""A test run that leaves a process running fails, naming it (streamdocs/leftovers.py), even
when the process's parent has exited; a run that stops what it starts passes."""

from __future__ import annotations

import subprocess
import sys

import pytest

LEAKS = """
import subprocess

def test_starts_a_server_and_forgets_it():
    # sh exits at once: its `sleep` is orphaned, as a forgotten server would be
    subprocess.run(["sh", "-c", "sleep 47 &"], check=True)
"""
CLEAN = """
import subprocess

def test_starts_a_server_and_stops_it():
    server = subprocess.Popen(["sleep", "47"])
    server.terminate()
    server.wait()
"""


def _pytest(folder, source: str) -> subprocess.CompletedProcess:
    (folder / "test_scratch.py").write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
         "streamdocs.leftovers", "--leftover-grace=1", "test_scratch.py"],
        cwd=folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_run_that_leaves_a_process_fails_naming_and_stopping_it(tmp_path):
    done = _pytest(tmp_path, LEAKS)
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "left 1 process(es) running 1 s after it ended" in done.stdout
    assert "sleep 47" in done.stdout
    still = subprocess.run(["pgrep", "-f", "^sleep 47$"], capture_output=True, text=True)
    assert not still.stdout.strip(), f"the leftover was not stopped: {still.stdout}"


def test_a_run_that_stops_what_it_starts_passes(tmp_path):
    done = _pytest(tmp_path, CLEAN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "left" not in done.stdout
