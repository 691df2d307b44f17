"""A test run that leaves a process running fails, naming it (streamdocs/leftovers.py), even
when the process's parent has exited; a run that stops what it starts passes, and so does
one whose process keeps multiprocessing's own helpers (the sample pool's fork server)."""

from __future__ import annotations

import subprocess
import sys

import pytest

LEAKS = """
import subprocess

def test_starts_a_server_and_forgets_it():
    # sh exits at once: its `sleep` is orphaned, as a forgotten server would be
    subprocess.run(["sh", "-c", "sleep {seconds} &"], check=True)
"""
CLEAN = """
import multiprocessing, subprocess

def test_starts_a_server_and_stops_it():
    server = subprocess.Popen(["sleep", "{seconds}"])
    server.terminate()
    server.wait()

def test_runs_in_a_fork_server_pool():
    context = multiprocessing.get_context("forkserver")
    with context.Pool(2) as pool:
        assert pool.map(abs, [-1]) == [1]
"""


def _pytest(folder, source: str) -> tuple[subprocess.CompletedProcess, str]:
    seconds = f"47.{abs(hash(str(folder))) % 10**6:06d}"  # this run's, for pgrep
    (folder / "test_scratch.py").write_text(source.format(seconds=seconds), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
         "streamdocs.leftovers", "--leftover-grace=1", "test_scratch.py"],
        cwd=folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done, f"sleep {seconds}"


def test_a_run_that_leaves_a_process_fails_naming_and_stopping_it(tmp_path):
    done, leaked = _pytest(tmp_path, LEAKS)
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "processes left running" in done.stdout
    assert "left 1 process(es) running 1 s after it ended" in done.stdout
    assert leaked in done.stdout
    still = subprocess.run(["pgrep", "-f", f"^{leaked}$"], capture_output=True, text=True)
    assert not still.stdout.strip(), f"the leftover was not stopped: {still.stdout}"


def test_a_run_that_stops_what_it_starts_passes(tmp_path):
    done, _ = _pytest(tmp_path, CLEAN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "left running" not in done.stdout
    assert "2 passed" in done.stdout
