"""Run many TypeScript sample cases at once in a few long-lived Node processes.

Each Node worker (node_worker.mjs) runs cases one after another, each with its own
environment, argv and captured output, as `node NAME.ts` would; several workers run at
once. A case that outlives its limit has its worker replaced. The SDK is patched in each
worker once, with the same patches `runner.run_node` applies (node_patches.mjs).
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import runner

WORKER = Path(__file__).with_name("node_worker.mjs")


class _Worker:
    def __init__(self, patches: tuple[str, ...]) -> None:
        from streamdocs import node
        from streamdocs.paths import TYPESCRIPT

        read, write = os.pipe()
        environ = {**node.env(), "STREAMDOCS_NODE_PATCHES": ",".join(patches),
                   "STREAMDOCS_RESULTS_FD": str(write)}  # fmt: skip
        self.process = subprocess.Popen(
            [node.executable(environ), "--import", runner.NODE_PATCHES.as_uri(), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write,),
            cwd=TYPESCRIPT,
            env=environ,
            text=True,
        )
        os.close(write)
        self.results = os.fdopen(read, "r")

    def run(self, job: dict, seconds: float) -> runner.Run | None:
        """The job's run, or None when it took longer than `seconds` (the worker is then
        of no more use)."""
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.results], [], [], seconds)
        line = self.results.readline() if ready else ""
        if not line:
            return None
        return runner.Run(**json.loads(line))

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self.results.close()


class NodePool:
    """`size` Node workers; `run(jobs)` gives each job's Run, in order. A job is
    {"file", "args", "env"} (env: the whole environment the sample sees), with optional
    "timeout", "body_timeout", "read_timeout" and "app" (node_worker.mjs)."""

    def __init__(self, size: int, patches: tuple[str, ...] = runner.FAST) -> None:
        self.patches = patches
        self.idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(size):
            self.idle.put(_Worker(patches))
        self.threads = ThreadPoolExecutor(size)

    def _one(self, job: dict) -> runner.Run:
        worker = self.idle.get()
        limit = float(job.get("timeout", 30))
        started = time.perf_counter()
        result = worker.run(job, limit + 5)
        if result is None:  # stuck for good: a fresh worker takes its place
            worker.close()
            worker = _Worker(self.patches)
            result = runner.Run("", 1, f"Stuck: the run took longer than {limit:g} s")
        self.idle.put(worker)
        result.seconds = time.perf_counter() - started
        return result

    def run(self, jobs: list[dict]) -> list[runner.Run]:
        return list(self.threads.map(self._one, jobs))

    def close(self) -> None:
        self.threads.shutdown()
        while not self.idle.empty():
            self.idle.get().close()
