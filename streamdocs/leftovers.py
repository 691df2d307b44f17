"""A pytest plugin: a test run that leaves a process running fails, naming it.

A process the suite starts and forgets outlives the run and slows every run after it (one
such leak left 715 idle redis-servers on a machine). Its parent may exit first, which
would hand it to init and out of sight, so the run's first process becomes a "child
subreaper" (Linux prctl): what its descendants orphan is re-parented to it, and at the
end of the session, after pytest-xdist has stopped its workers, whatever still runs
below it is a leak. Elsewhere than Linux the plugin does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
WATCHING = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    # Workers and their pools exit as the session ends; what lives past this is left behind.
    parser.addoption(
        "--leftover-grace",
        type=float,
        default=10.0,
        help="seconds the run's processes get to exit after the session before it fails",
    )


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the controller watches
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    config.stash[WATCHING] = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def running_descendants(root: int) -> dict[int, str]:
    """pid -> command line of every live (not zombie) process below `root`."""
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
        ancestor = parents[pid]
        while ancestor in parents and ancestor != root:
            ancestor = parents[ancestor]
        if ancestor == root:
            below[pid] = lines[pid]
    return below


@pytest.hookimpl(trylast=True)  # after pytest-xdist has stopped its workers
def pytest_sessionfinish(session: pytest.Session) -> None:
    if not session.config.stash.get(WATCHING, False):
        return
    grace = session.config.getoption("--leftover-grace")
    deadline = time.monotonic() + grace
    while (left := running_descendants(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not left:
        return
    report = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  {pid}: {line[:200]}" for pid, line in sorted(left.items())]
    for pid in left:  # so that they do not slow every run after this one
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    message = (
        f"the test run left {len(left)} process(es) running {grace:g} s after it ended "
        "(started and never stopped; stopped now):\n" + "\n".join(lines)
    )
    if report is not None:
        report.write_line(message, red=True, bold=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
