"""The relays' real parts on loopback: redis-server, relay workers, nginx, a proxy to cut.

For the relay tests, `make demo-scale` (`python -m streamdocs.demo --scale`) and the load
run in `make bench`. Everything listens on 127.0.0.1 and writes under one directory:

- `RedisServer`: Debian's redis-server on a free port, no persistence, its own folder;
- `Worker`: one uvicorn process serving a relay snippet (`relay_resumable` by default),
  killable, restartable on its port, with its peak memory read from /proc;
- `Nginx`: nginx in the foreground serving a snippet's config, its ports rewritten;
- `CutProxy`: a TCP proxy a test closes, to drop the browser's connection mid-answer
  (Chromium's offline switch does not end a fetch that is already streaming);
- `Stack`: Redis, two workers and nginx (behind a `CutProxy`), as the guide runs them.

The programs come from `streamdocs.tools` (variable, PATH, then Debian's package).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.util import Finalize
from pathlib import Path

from streamdocs import tools
from streamdocs.loopback import HOST
from streamdocs.paths import SNIPPETS, rel


class StackError(RuntimeError):
    """A part that would not start; says which, and what it printed."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def program(name: str) -> str:
    found = tools.find(name)
    if found is None:
        raise StackError(tools.hint([tools.TOOLS[name]]))
    return found


def wait_until(ready, what: str, process: subprocess.Popen, log: Path, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            said = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            state = f"exited {process.returncode}" if process.poll() is not None else "timed out"
            raise StackError(f"{what} did not start ({state}):\n{said}")
        time.sleep(0.02)


def listening(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.2).close()
        return True
    except OSError:
        return False


class Process:
    """A program on one port, started, stopped (gently or not) and started again."""

    name = "process"

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.log = directory / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str] | None:
        return None

    def ready(self) -> bool:
        return listening(self.port)

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, env=self.env()
            )
        return self

    def wait_ready(self):
        wait_until(self.ready, f"{self.name} on port {self.port}", self.process, self.log)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """As a crash would: no shutdown, nothing finished."""
        self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start().wait_ready()

    def __enter__(self):
        return self.start().wait_ready()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class RedisServer(Process):
    """`persist`: an append-only file synced on every write, so a server killed and started
    again has every entry (as a production Redis with AOF would)."""

    name = "redis"

    def __init__(self, directory: Path, persist: bool = False) -> None:
        super().__init__(directory)
        self.persist = persist

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}"

    def command(self) -> list[str]:
        # no RDB snapshots, no append-only file: a test's data dies with the server
        return [
            program("redis"),
            "--port", str(self.port), "--bind", HOST, "--dir", str(self.directory),
            "--save", "", "--daemonize", "no", "--logfile", "",
            "--appendonly", "yes" if self.persist else "no", "--appendfsync", "always",
        ]  # fmt: skip

    def ready(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker(Process):
    """One relay worker: `uvicorn <snippet>:app` as the guide runs it, named `name`
    (its X-Relay-Worker header), configured only by the environment given."""

    def __init__(
        self, directory: Path, name: str, env: dict[str, str], app: str = "relay_resumable"
    ) -> None:
        self.name = name
        super().__init__(directory)
        self.app = app
        self.settings = env

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "uvicorn", f"{self.app}:app", "--app-dir", str(SNIPPETS),
            "--host", HOST, "--port", str(self.port), "--log-level", "warning",
            "--timeout-graceful-shutdown", "1",
        ]  # fmt: skip

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(self.directory),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",  # nothing written under snippets/
            "RELAY_WORKER": self.name,
            **self.settings,
        }

    def peak_memory_kib(self) -> int:
        """The process's peak resident memory (VmHWM), while it runs."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1])

    def logged(self) -> str:
        return self.log.read_text(errors="replace")


# Around a site config, what a server's own nginx.conf would hold, here under one
# directory. gzip is on for event streams, as a server may have it: a snippet must turn
# it off.
NGINX_MAIN = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    gzip on;
    gzip_min_length 1;
    gzip_types text/event-stream;
    include {dir}/site.conf;
}}
"""


def site_config(snippet: Path, replacements: dict[str, str]) -> str:
    """The snippet's text with each `old` (found exactly once) replaced by `new`."""
    text = snippet.read_text(encoding="utf-8")
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise StackError(f"{rel(snippet)} no longer holds `{old}` once")
        text = text.replace(old, new)
    return text


class Nginx(Process):
    """nginx in the foreground serving `site` (a site config's text) on `self.port`;
    `site` may hold `{port}`, filled with that port."""

    name = "nginx"

    def __init__(self, directory: Path, site: str, port: int | None = None) -> None:
        super().__init__(directory, port)
        (directory / "site.conf").write_text(site.replace("{port}", str(self.port)))
        (directory / "nginx.conf").write_text(NGINX_MAIN.format(dir=directory))

    def command(self) -> list[str]:
        return [
            program("nginx"), "-p", str(self.directory),
            "-c", str(self.directory / "nginx.conf"), "-e", str(self.directory / "error.log"),
        ]  # fmt: skip


class CutProxy:
    """A TCP proxy on 127.0.0.1 in front of `target` (a port). `cut()` aborts every
    connection open through it, both sides, as a phone losing its network would; new
    connections get through as before."""

    def __init__(self, target: int, port: int = 0) -> None:
        self.target = target
        self.port = port
        self.cuts = 0
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> CutProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def cut(self) -> int:
        """Drop every open connection now; how many there were."""
        done = threading.Event()
        count = []

        def abort() -> None:
            count.append(len(self._pairs))
            for pair in list(self._pairs):
                for writer in pair:
                    writer.transport.abort()
            self._pairs.clear()
            done.set()

        self._loop.call_soon_threadsafe(abort)
        done.wait(5)
        self.cuts += 1
        return count[0] if count else 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, HOST, self.port, reuse_address=True)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        self._pairs.discard(pair)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.close()


RESUMABLE_NGINX = SNIPPETS / "relay_resumable_nginx.conf"


class Stack:
    """Redis, two relay workers ("worker-1", "worker-2") and nginx in front of them with
    the guide's config, and a CutProxy in front of nginx: `url` is where a browser goes.
    `env` is the workers' configuration (RELAY_TOKENS, the API's base URL and key...)."""

    def __init__(
        self,
        directory: Path,
        env: dict[str, str],
        workers: int = 2,
        persist: bool = False,
        port: int = 0,
    ) -> None:
        self.directory = directory
        self.redis = RedisServer(directory / "redis", persist)
        settings = {**env, "REDIS_URL": self.redis.url}
        self.workers = [
            Worker(directory / f"worker-{n}", f"worker-{n}", settings)
            for n in range(1, workers + 1)
        ]
        replacements = {"listen 80;": "listen 127.0.0.1:{port};"}
        for n, worker in enumerate(self.workers, start=1):
            replacements[f"server 127.0.0.1:800{n};"] = f"server 127.0.0.1:{worker.port};"
        self.nginx = Nginx(directory / "nginx", site_config(RESUMABLE_NGINX, replacements))
        self.proxy = CutProxy(self.nginx.port, port)

    @property
    def url(self) -> str:
        return self.proxy.url

    def worker(self, name: str) -> Worker:
        return next(worker for worker in self.workers if worker.name == name)

    def __enter__(self) -> Stack:
        try:
            self.redis.__enter__()
            for worker in self.workers:  # the slow part: start them all, then wait
                worker.start()
            for worker in self.workers:
                worker.wait_ready()
            self.nginx.__enter__()
            self.proxy.__enter__()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.proxy._thread.is_alive():
            self.proxy.__exit__()
        self.nginx.stop()
        for worker in self.workers:
            worker.stop(signal.SIGKILL)  # tests leave answers running: no draining
        self.redis.stop()


_shared: RedisServer | None = None


def shared_redis() -> RedisServer:
    """One redis-server for this process, started when first asked for and stopped at
    exit: the sample runs of an app that keeps its state in Redis (the resumable relay).
    Stopped by multiprocessing's finalizers, which also run when a worker of the sample
    pool exits (atexit does not: each such worker left its redis-server running)."""
    global _shared
    if _shared is None:
        directory = Path(tempfile.mkdtemp(prefix="streamdocs-redis-"))
        _shared = RedisServer(directory).__enter__()
        Finalize(None, shutil.rmtree, (directory, True), exitpriority=1)
        Finalize(None, _shared.stop, exitpriority=2)  # the higher runs first
    return _shared


def flush(server: RedisServer) -> None:
    """Empty it: each sample run starts with no answers, limits or usage counted."""
    with socket.create_connection((HOST, server.port), timeout=5) as connection:
        connection.sendall(b"FLUSHALL\r\n")
        if not connection.recv(16).startswith(b"+OK"):
            raise StackError(f"FLUSHALL failed on {server.url}")


# --- reading the relay, one answer or many at once ----------------------------------------


@dataclass
class Event:
    id: str | None
    type: str
    data: dict


def events(lines) -> Iterator[Event]:
    """The SSE events in an iterator of lines (httpx's iter_lines), as a page reads them."""
    entry_id, kind, data = None, "message", ""
    for line in lines:
        if not line:
            if data:
                yield Event(entry_id, kind, json.loads(data))
            entry_id, kind, data = None, "message", ""
        elif line.startswith("id: "):
            entry_id = line[4:]
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data += line[6:]


@dataclass
class Answer:
    """One answer as a client read it: the text, every event, and when things came."""

    status: int = 0
    worker: str = ""
    text: str = ""
    events: list[Event] = field(default_factory=list)
    first_text: float | None = None  # seconds from sending to the first text event
    seconds: float = 0.0


async def read_answer(client, url: str, token: str, message: str) -> Answer:
    """POST one question and read its answer to the end (httpx.AsyncClient)."""
    answer, start = Answer(), time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    async with client.stream("POST", url + "/chat", json={"message": message},
                             headers=headers) as response:  # fmt: skip
        answer.status = response.status_code
        answer.worker = response.headers.get("x-relay-worker", "")
        lines = []
        async for line in response.aiter_lines():
            lines.append(line)
            if line.startswith("event: text") and answer.first_text is None:
                answer.first_text = time.perf_counter() - start
    answer.events = list(events(lines))
    answer.text = "".join(e.data["text"] for e in answer.events if e.type == "text")
    answer.seconds = time.perf_counter() - start
    return answer


async def _load(url: str, tokens: list[str], count: int, message: str) -> list[Answer]:
    import httpx

    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        return await asyncio.gather(
            *(read_answer(client, url, tokens[n % len(tokens)], message) for n in range(count))
        )


def load_run(url: str, tokens: list[str], count: int, message: str) -> tuple[list[Answer], float]:
    """`count` answers at once through `url`, spread over the callers' tokens (the relay
    lets each caller have two at once): the answers as read, and the wall time."""
    start = time.perf_counter()
    answers = asyncio.run(_load(url, tokens, count, message))
    return answers, time.perf_counter() - start


def lost_or_doubled(answer: Answer, expected: str) -> list[str]:
    """What is wrong with one answer read in full: empty when nothing was lost or doubled."""
    problems = []
    if answer.status != 200:
        problems.append(f"status {answer.status}")
    if answer.text != expected:
        problems.append(f"text differs: {answer.text!r}")
    ids = [tuple(map(int, e.id.split("-"))) for e in answer.events if e.id]
    if ids != sorted(set(ids)) or len(ids) != len(answer.events):
        problems.append("event ids not all present and increasing")
    if not answer.events or answer.events[-1].type != "done":
        problems.append(f"ended with {answer.events[-1:]}")
    return problems
