"""A pytest plugin: a test run that leaves a process running fails, naming it.

A process the suite starts and forgets outlives the run and slows every run after it (one
such leak left 715 idle redis-servers on a machine). Its parent may exit first, which
would hand it to init and out of sight, so the run's first process becomes a "child
subreaper" (Linux prctl): what its descendants orphan is re-parented to it, and at the
end of the session, after pytest-xdist has stopped its workers, whatever still runs
below it is a leak. On other systems the plugin does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
WATCHING = pytest.StashKey[bool]()
LEFT = pytest.StashKey[dict[int, str]]()
# multiprocessing's own helpers, started by the run's process for its pools, live as long
# as that process by design; a pool worker they forked and nobody stopped is still a leak.
OWN_HELPERS = (
    "from multiprocessing.forkserver import main",
    "from multiprocessing.resource_tracker import main",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    # Workers and their pools exit as the session ends; what lives past this is left behind.
    parser.addoption(
        "--leftover-grace",
        type=float,
        default=10.0,
        help="seconds the run's processes get to exit after the session before it fails",
    )


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or not sys.platform.startswith("linux"):
        return  # an xdist worker (the controller watches), or no prctl
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    config.stash[WATCHING] = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def running_descendants(root: int) -> dict[int, str]:
    """pid -> command line of every live (not zombie) process below `root`, but root's
    own multiprocessing helpers."""
    parents, lines = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        state, ppid = text[text.rindex(")") + 2 :].split()[:2]
        if state != "Z":
            pid = int(stat.parent.name)
            parents[pid] = int(ppid)
            lines[pid] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    below = {}
    for pid in parents:
        if parents[pid] == root and any(helper in lines[pid] for helper in OWN_HELPERS):
            continue
        ancestor = parents[pid]
        while ancestor in parents and ancestor != root:
            ancestor = parents[ancestor]
        if ancestor == root:
            below[pid] = lines[pid]
    return below


def _stop(pids: list[int]) -> None:
    """SIGTERM, and SIGKILL for what still runs 2 s later."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:  # gone, or not ours to signal
                pass
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and set(pids) & set(running_descendants(os.getpid())):
            time.sleep(0.1)


@pytest.hookimpl(trylast=True)  # after pytest-xdist has stopped its workers
def pytest_sessionfinish(session: pytest.Session) -> None:
    if not session.config.stash.get(WATCHING, False):
        return
    deadline = time.monotonic() + session.config.getoption("--leftover-grace")
    while (left := running_descendants(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        session.config.stash[LEFT] = left
        _stop(list(left))  # so that they do not slow every run after this one
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    left = config.stash.get(LEFT, {})
    if not left:
        return
    grace = config.getoption("--leftover-grace")
    terminalreporter.write_sep("=", "processes left running", red=True, bold=True)
    terminalreporter.write_line(
        f"the test run left {len(left)} process(es) running {grace:g} s after it ended "
        "(started and never stopped; now stopped), so the run fails:"
    )
    for pid, line in sorted(left.items()):
        terminalreporter.write_line(f"  {pid}: {line[:200]}")
