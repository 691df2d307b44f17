"""The shared redis-server a sample pool worker starts for the resumable relay's runs is
stopped when the worker exits: each worker once left its own running (fifteen a run)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from streamdocs import relay_stack


def _start_one() -> int:
    return relay_stack.shared_redis().process.pid


@pytest.fixture(scope="module")
def worker_and_redis():
    """A pool worker that started its redis-server (made outside the test, whose network
    block also refuses the fork server's socket)."""
    workers = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"))
    pid = workers.submit(_start_one).result()
    yield workers, pid
    workers.shutdown()
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


def test_a_pool_worker_stops_its_redis_server_when_it_exits(worker_and_redis):
    workers, pid = worker_and_redis
    os.kill(pid, 0)  # running while the worker lives
    workers.shutdown()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
