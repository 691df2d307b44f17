"""Run many sample cases at once, each in a worker process of its own.

A sample run in-process owns what is process-wide (stdout, argv, the environment), so
runs that mostly wait (stalls, retries) cannot overlap there. The pool runs each case in
one of several worker processes; every case carries its own environment and base URL (the
emulator routes by case, streamdocs/emulator/variants.py), so nothing is shared but the
emulator. Workers start with the SDK patched for live runs (sdk_internals.fast: no retry
sleeps, a 1 s default read timeout, which each job replaces with its own) and, where
asked, samples' own read timeouts capped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import runner
from .cases import Case
from .node_pool import NodePool

# A case that runs longer than this is stuck: its worker raises in it and moves on.
CASE_SECONDS = 30
KEY = "sk-ant-live-runs"  # the emulator takes any sk-ant- key
# What the samples import, imported once in the fork server.
PRELOAD = [
    "streamdocs.samples.pool",
    "streamdocs.samples.warm",
    "anthropic",
    "httpx",
    "httpx_sse",
    "pytest",
    "fastapi",
    "starlette.testclient",
    "uvicorn",
    "redis.asyncio",
]


@dataclass(frozen=True)
class Job:
    """One run of one sample: its case (how to run it), argv, environment, and files to
    put in its fresh home directory (a credentials profile, say)."""

    case: Case
    args: tuple[str, ...] = ()
    env: dict[str, str | None] = field(default_factory=dict)  # over an isolated environment
    home_files: dict[str, str] = field(default_factory=dict)
    # The read timeout of a client that sets none (the SDK's default is 600 s; for Node,
    # its wait for the response's headers), and the longest one a sample may set itself:
    # a stall waits no longer than that.
    read_timeout: float = 1.0
    cap_read_timeout: float | None = None
    # Node only: how long its fetch waits for a silent body (None: Node's own 300 s)
    body_timeout: float | None = None


def _start() -> None:
    """In each worker: the SDK patched as for every live run (no retry sleeps, one TLS
    context); each job sets its own timeouts."""
    import pytest

    from streamdocs import sdk_internals

    sdk_internals.fast(pytest.MonkeyPatch())  # for the worker's life
    signal.signal(signal.SIGALRM, _stuck)
    # A sample's own output is captured per run; what an app logs to the process's stderr
    # (the relays' loggers) would only clutter the test run's.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


class Stuck(Exception):
    pass


def _stuck(*_: Any) -> None:
    raise Stuck(f"the run took longer than {CASE_SECONDS} s")


def _run(job: Job) -> dict[str, Any]:
    """In a worker: the job's run, as `runner.Run` fields."""
    import pytest

    from streamdocs import environment, sdk_internals

    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as patch:
        sdk_internals.short_default_read_timeout(patch, job.read_timeout)
        if job.cap_read_timeout is not None:
            sdk_internals.cap_read_timeouts(patch, job.cap_read_timeout)
        for name, text in job.home_files.items():
            path = Path(home, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        signal.alarm(CASE_SECONDS)
        started = time.perf_counter()
        try:
            with environment.isolated(**{**job.env, "HOME": home}), contextlib.chdir(home):
                if job.case.kind == "script" and job.case.snippet.suffix == ".py":
                    run = runner.run_script(job.case.snippet, *job.args, catch=True)
                else:
                    run = runner.run_case(
                        job.case, catch=True, env=dict(os.environ), patches=runner.FAST
                    )
                    if job.case.kind == "app":
                        run = runner.app_reading(run)
        except Stuck as error:
            run = runner.Run("", 1, f"Stuck: {error}")
        finally:
            signal.alarm(0)
        run.seconds = time.perf_counter() - started
    return asdict(run)


def _pid(_: int) -> int:
    return os.getpid()


class Pool:
    """`size` worker processes; `run` gives each job's Run, in the jobs' order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._node: NodePool | None = None
        # A fork server: one clean process (no fork of this threaded one) imports what every
        # run needs once, and each worker is a fork of it, ready in milliseconds.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self.executor = ProcessPoolExecutor(size, mp_context=context, initializer=_start)

    def warm(self) -> None:
        """Start every worker now (the executor starts them on demand)."""
        list(self.executor.map(_pid, range(self.size)))

    def run(self, jobs: list[Job]) -> list[runner.Run]:
        """Python jobs in the worker processes, TypeScript ones in Node workers
        (node_pool.py), all at once."""
        typescript = [n for n, job in enumerate(jobs) if _in_node(job)]
        python = [n for n in range(len(jobs)) if n not in set(typescript)]
        pending = self.executor.map(_run, [jobs[n] for n in python])
        runs: list[runner.Run | None] = [None] * len(jobs)
        if typescript:
            with contextlib.ExitStack() as homes:
                node_jobs = [_node_job(jobs[n], homes) for n in typescript]
                for n, run in zip(typescript, self.node().run(node_jobs), strict=True):
                    runs[n] = runner.app_reading(run) if jobs[n].case.kind == "app" else run
        for n, result in zip(python, pending, strict=True):
            runs[n] = runner.Run(**result)
        return runs  # type: ignore[return-value]

    def node(self) -> NodePool:
        if self._node is None:
            self._node = NodePool(self.size)
        return self._node

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.executor.shutdown(cancel_futures=True)
        if self._node is not None:
            self._node.close()


def routed(
    case: Case,
    case_id: str,
    base_url: str,
    curl: tuple[int, str] | None,
    env: dict[str, str | None] | None = None,
    home_files: dict[str, str] | None = None,
    **fields: Any,
) -> Job:
    """A job whose requests reach the emulator's case `case_id` (`base_url`, from
    `Emulator.add_case`); curl, which always names the real API, gets a ~/.curlrc that
    sends it to the emulator's HTTPS port (`curl`: the port and the CA file) and names the
    case in a header. `env` goes over ANTHROPIC_BASE_URL and a key the emulator takes."""
    from streamdocs.emulator.variants import CASE_HEADER
    from streamdocs.loopback import curlrc

    values: dict[str, str | None] = {"ANTHROPIC_BASE_URL": base_url, "ANTHROPIC_API_KEY": KEY}
    values.update(env or {})
    files = dict(home_files or {})
    if case.snippet.suffix == ".sh" and curl is not None:
        values["CURL_HOME"] = None  # curl reads ~/.curlrc
        files[".curlrc"] = curlrc(*curl, headers={CASE_HEADER: case_id})
    return Job(case, env=values, home_files=files, **fields)


def _in_node(job: Job) -> bool:
    """A TypeScript sample: a script, or an app (a server) the Node worker sends the case's
    request to."""
    return job.case.snippet.suffix == ".ts" and job.case.kind in ("script", "app")


def _node_job(job: Job, homes: contextlib.ExitStack) -> dict[str, Any]:
    """The Node worker's job: the environment a run in the Python pool would see."""
    from streamdocs import environment

    home = homes.enter_context(tempfile.TemporaryDirectory())
    for name, text in job.home_files.items():
        path = Path(home, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    environ = dict(os.environ)
    case = job.case
    overlay = {**job.env, "HOME": home}
    app = None
    if case.kind == "app":  # as runner.run_node_app starts it: PORT=0, the case's variables
        overlay |= {"PORT": "0", **{k: v for k, v in case.env.items() if v is not None}}
        app = {"path": case.path, "request": case.request, "headers": case.headers}
    changes = environment.overlay(overlay, home)
    environment.apply(changes, environ.__setitem__, lambda name: environ.pop(name, None))
    return {"file": str(case.snippet), "args": list(job.args), "env": environ, "app": app,
            "timeout": CASE_SECONDS, "body_timeout": job.body_timeout,
            "read_timeout": job.read_timeout}  # fmt: skip


def size() -> int:
    """Workers per pool: cases mostly wait, so more than cores (FAULT_WORKERS overrides)."""
    return int(os.environ.get("FAULT_WORKERS", "16"))


@dataclass
class LiveRuns:
    """The emulator (HTTPS too, for curl) and the worker pool that run many samples at
    once, each routed to a case of its own."""

    emulator: Any
    pool: Pool
    curl: tuple[int, str]  # the emulator's HTTPS port and the CA file curl trusts


@contextlib.contextmanager
def live_runs(tls_dir: Path):
    from streamdocs.emulator import Emulator
    from streamdocs.loopback import api_certificate

    context, ca_file = api_certificate(tls_dir)
    with Emulator(tls=context) as emulator, Pool(size()) as workers:
        yield LiveRuns(emulator, workers, (emulator.tls_port, ca_file))
