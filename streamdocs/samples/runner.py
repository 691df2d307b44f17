"""The one sample runner: run a sample the way its kind says and capture what it prints.

Replays (tests/test_samples.py) let a crash raise, so pytest shows its traceback; the
answer matrix and the guides' live tests pass `catch=True` and get the crash as a result.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import re
import runpy
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.stubs import httpx_stubs

from streamdocs import sse
from streamdocs.paths import rel

from .cases import Case


class CassetteMiss(BaseException):
    """A request the cassette cannot answer.

    A BaseException on purpose: the SDK wraps any Exception from the transport
    in APIConnectionError and retries it, and a sample may catch that. This
    one passes through both, so a stale cassette fails at once and by name.
    """


@contextlib.contextmanager
def misses_raise_at_once():
    def raise_miss(*, cassette, failed_request):
        detail = CannotOverwriteExistingCassetteException(
            cassette=cassette, failed_request=failed_request
        )
        return CassetteMiss(str(detail))

    original = httpx_stubs.CannotOverwriteExistingCassetteException
    httpx_stubs.CannotOverwriteExistingCassetteException = raise_miss
    try:
        yield
    finally:
        httpx_stubs.CannotOverwriteExistingCassetteException = original


@dataclass
class Run:
    output: str  # stdout and stderr, interleaved as in a terminal
    exit_code: int
    crash: str | None = None  # with catch=True: the last line of an escaped exception
    stdout: str = ""  # stdout alone
    seconds: float = 0.0  # how long it ran (set by the worker pool)


class _Tee(io.TextIOBase):
    def __init__(self, *targets: io.StringIO) -> None:
        self.targets = targets

    def write(self, text: str) -> int:
        for target in self.targets:
            target.write(text)
        return len(text)


def run_case(
    case: Case,
    *,
    catch: bool = False,
    env: dict[str, str] | None = None,
    patches: tuple[str, ...] = ("no-retry-wait",),
) -> Run:
    """The case's sample, run the way its kind says: a script (`.py` in this process,
    `.sh` under bash and `.ts` under Node, with `env`) or an app (its `app` driven over
    HTTP). `patches`: what node_patches.mjs changes in a `.ts` run."""
    if case.kind == "app" and case.typescript:
        return run_node_app(case, env or dict(os.environ), patches=patches)
    if case.kind == "app":
        return run_app(case, catch=catch)
    if case.snippet.suffix == ".sh":
        return run_shell(case.snippet, env or dict(os.environ))
    if case.typescript:
        return run_node(case.snippet, env or dict(os.environ), patches=patches)
    return run_script(case.snippet, catch=catch)


def run_script(path: Path, *args: str, catch: bool = False) -> Run:
    """Run a Python sample as `python path args` would, in this process (a fresh interpreter
    costs over a second a run; runpy gives it its own `__main__` all the same). An escaped
    exception propagates, so pytest shows its traceback, unless `catch` makes it a result."""
    buffer, stdout = io.StringIO(), io.StringIO()
    argv, sys.argv = sys.argv, [str(path), *args]
    exit_code, crash = 0, None
    try:
        with contextlib.redirect_stdout(_Tee(buffer, stdout)), contextlib.redirect_stderr(buffer):
            runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exit:
        if isinstance(exit.code, int) or exit.code is None:
            exit_code = exit.code or 0
        else:
            buffer.write(f"{exit.code}\n")
            exit_code = 1
    except Exception as error:  # noqa: BLE001 - with catch, a crash is a result, named
        if not catch:
            raise
        exit_code = 1
        crash = traceback.format_exception_only(error)[-1].strip()
    finally:
        sys.argv = argv
    return Run(buffer.getvalue(), exit_code, crash, stdout=stdout.getvalue())


def run_shell(path: Path, env: dict[str, str]) -> Run:
    result = subprocess.run(
        ["bash", str(path)], env=env, capture_output=True, text=True, timeout=30
    )
    crash = None
    if "Traceback (most recent call last)" in result.stderr:
        crash = result.stderr.strip().splitlines()[-1]
    return Run(result.stdout + result.stderr, result.returncode, crash, stdout=result.stdout)


NODE_PATCHES = Path(__file__).with_name("node_patches.mjs")
# For runs against the emulator's failure shapes, as `sdk_internals.fast` for Python.
FAST = ("no-retry-wait", "fast-timeouts")
# How Node reports an exception nothing caught: `file:line`, the line, a caret, then the
# inspected error (`Name: message`, or `Uncaught 'text'` for a thrown non-Error).
_NODE_CRASH = re.compile(r"^\s*\^+\s*\n+(?:Uncaught )?(?P<error>.+)$", re.M)


def run_node(
    path: Path,
    env: dict[str, str],
    *args: str,
    patches: tuple[str, ...] = ("no-retry-wait",),
    timeout: float = 60,
    separate: bool = False,
) -> Run:
    """`node path args`, as a reader runs a TypeScript sample (Node strips the types), with
    `env` (its ANTHROPIC_BASE_URL says where requests go) and the test-only `patches`
    loaded first (node_patches.mjs). Output is stdout and stderr in one pipe, so in the
    order a terminal shows them (`separate`: two pipes, output = stdout then stderr, for
    a test that reads stdout alone); an uncaught exception is `crash` (`Name: message`)."""
    from streamdocs import node

    environ = node.env(env)
    environ["STREAMDOCS_NODE_PATCHES"] = ",".join(patches)
    command = [node.executable(environ), "--import", NODE_PATCHES.as_uri(), str(path), *args]
    result = subprocess.run(
        command,
        env=environ,
        cwd=path.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if separate else subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    output, crash = result.stdout + (result.stderr or ""), None
    if result.returncode and output.rstrip().endswith(f"Node.js {node_version_line()}"):
        found = _NODE_CRASH.search(output)
        crash = found["error"].strip() if found else output.strip().splitlines()[0]
    return Run(output, result.returncode, crash, stdout=result.stdout)


def run_node_app(
    case: Case, env: dict[str, str], patches: tuple[str, ...] = ("no-retry-wait",)
) -> Run:
    """Start a TypeScript server sample as a reader does (`node relay_app.ts`), POST the
    case's request, and return the body it streams (a 4xx or 5xx is exit 1)."""
    env = {**env, **{k: v for k, v in case.env.items() if v is not None}}
    with node_server(case.snippet, env, patches) as (port, printed):
        if port is None:
            return Run(printed(), 1, crash=printed().strip()[-300:] or "no server")
        status, body = post_json(port, case.path, case.request, case.headers)
    output = printed()
    crash = output.strip() if "\nNode.js v" in output else None
    return Run(body, 0 if 200 <= status < 300 else 1, crash, stdout=body)


@contextlib.contextmanager
def node_server(path: Path, env: dict[str, str], patches: tuple[str, ...] = ()):
    """`node path` with PORT=0 (any free port, which a server sample prints on its first
    line): yields (its port, or None if it printed none; a function returning what it
    printed, once it has been stopped). The POSTs to it go over a plain socket (h11),
    out of reach of vcrpy's patched clients."""
    from streamdocs import node

    environ = {**node.env(env), "PORT": "0", "STREAMDOCS_NODE_PATCHES": ",".join(patches)}
    command = [node.executable(environ), "--import", NODE_PATCHES.as_uri(), str(path)]
    process = subprocess.Popen(
        command, env=environ, cwd=path.parent, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    printed: list[str] = []
    first = process.stdout.readline()
    printed.append(first)
    found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
    try:
        yield (int(found[1]) if found else None), lambda: "".join(printed)
    finally:
        process.terminate()
        printed.append(process.communicate(timeout=10)[0])


def post_json(
    port: int, path: str, data, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, str]:
    """POST JSON to 127.0.0.1:port and read the whole response: (status, body text)."""
    import socket

    import h11

    payload = json.dumps(data).encode()
    connection = h11.Connection(h11.CLIENT)
    head = h11.Request(
        method="POST",
        target=path,
        headers=[
            ("Host", f"127.0.0.1:{port}"),
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Connection", "close"),
            *(headers or {}).items(),
        ],
    )
    status, body = 0, bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(connection.send(head) + connection.send(h11.Data(data=payload)))
        sock.sendall(connection.send(h11.EndOfMessage()))
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(sock.recv(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                break
    return status, body.decode("utf-8", errors="replace")


def node_version_line() -> str:
    from streamdocs import node

    return f"v{node.version()}"


def run_app(case: Case, *, catch: bool = False) -> Run:
    """POST the case's request to the snippet's `app`; the streamed body is the output.

    The module is imported (run as __main__ it would start a server) with the case's
    `env` (its configuration, read when imported) and driven in this process by
    Starlette's TestClient, as a browser would drive it. A 4xx is exit 1.
    """
    from starlette.testclient import TestClient  # only app cases need it

    env = dict(case.env)
    if "redis" in case.services:
        from streamdocs import relay_stack

        redis = relay_stack.shared_redis()
        relay_stack.flush(redis)
        env["REDIS_URL"] = redis.url
    try:
        with _environ(env):
            module = runpy.run_path(str(case.snippet), run_name=case.snippet.stem)
        with TestClient(module["app"]) as client:
            response = client.post(case.path, json=case.request, headers=case.headers)
    except Exception as error:  # noqa: BLE001 - a 500 escapes the test client as this
        if not catch:
            raise
        return Run("", 1, traceback.format_exception_only(error)[-1].strip())
    return Run(response.text, 0 if response.is_success else 1, stdout=response.text)


@contextlib.contextmanager
def _environ(values: dict[str, str | None]):
    """os.environ with `values` added (None removes a variable), restored afterwards."""
    saved = dict(os.environ)
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def app_reading(run: Run) -> Run:
    """An app's SSE body as a reader of the page sees it: the `text` events joined, then
    one `event: data` line per other event; an `error` event is exit 1."""
    if run.exit_code or run.crash:
        return run
    text, lines, exit_code = [], [], 0
    for event, data in sse.events(run.output):
        if event == "text":
            text.append(json.loads(data)["text"])
        else:
            lines.append(f"{event}: {data}")
            exit_code = exit_code or int(event == "error")
    output = "".join(text) + "\n" + "\n".join(lines) + "\n"
    return Run(output, exit_code, stdout=output, seconds=run.seconds)


def stale_cassette_message(case: Case, miss: CassetteMiss) -> str:
    return (
        f"{case.name}: {rel(case.snippet)} sent a request that {rel(case.cassette)} "
        "does not hold (a changed prompt or parameter?).\n"
        f"Re-record it with `make record NAME={case.name}`, then review the cassette diff."
        "\n\n"
        f"{closest_match(miss)}"
    )


def closest_match(miss: CassetteMiss) -> str:
    # vcrpy's own advice names record modes; ours is `make record`.
    return str(miss).split("How to fix:")[0].strip()


def missing_cassette_message(case: Case) -> str:
    return (
        f"{case.name}: no cassette at {rel(case.cassette)} for {rel(case.snippet)}.\n"
        f"Record it with `make record NAME={case.name}` (through the local emulator, or "
        "the live API when ANTHROPIC_API_KEY is set)."
    )


# What a run cannot repeat: measured times and rates (masked for paced samples), the ids
# Redis gives stream entries (milliseconds since 1970, then a sequence number: masked for
# apps), and in any output, the port a loopback server took, which the SDK's error
# messages name.
TIMINGS = re.compile(r"\b\d+(?:\.\d+)? (?=s\b|ms\b|tokens/s\b)")
ENTRY_IDS = re.compile(r"^id: \d+-\d+$", re.MULTILINE)
LOOPBACK = re.compile(r"\b127\.0\.0\.1:\d+")


def masked(text: str) -> str:
    return ENTRY_IDS.sub("id: #", TIMINGS.sub("# ", unvarying(text)))


def unvarying(text: str) -> str:
    """`text` with the loopback port replaced by `PORT`, as the output files keep it."""
    return LOOPBACK.sub("127.0.0.1:PORT", text)


def check_output(
    name: str, snippet, output_path, actual: str, update: bool, mask: bool = False
) -> None:
    """Compare with the expected output the page shows, or rewrite it (`make outputs`)."""
    actual = unvarying(actual)
    if mask and output_path.exists():
        expected = output_path.read_text(encoding="utf-8")
        if masked(actual) == masked(expected):
            return  # the same but for timings: the file stays as it is
    if update:
        output_path.parent.mkdir(parents=True, exist_ok=True)  # snippets/output/ts/ too
        output_path.write_text(actual, encoding="utf-8")
        return
    if not output_path.exists():
        pytest.fail(
            f"{name}: no expected output {rel(output_path)}: create it with `make outputs`",
            pytrace=False,
        )
    expected = output_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=rel(output_path),
            tofile="this run",
        )
        pytest.fail(
            f"{rel(snippet)} printed something other than {rel(output_path)} "
            "(the page shows that file, and it is written from the recording, never by "
            f"hand). If you edited {rel(output_path)}, restore it: `git checkout "
            f"{rel(output_path)}`. If you changed the sample, record it again: "
            f"`make record NAME={name}`.\n\n" + "".join(diff),
            pytrace=False,
        )
