"""What the TypeScript SDK throws where errors.md says, tried against the SDK under Node:
a `for await` loop over a MessageStream whose body awaits something when the connection
drops, and the raw stream of `messages.create()` with a profile that is not JSON."""

from __future__ import annotations

import json
import os
import uuid
from urllib.parse import urlsplit

import pytest

from streamdocs.emulator import Emulator, breaks
from streamdocs.emulator.variants import Fault
from streamdocs.paths import TYPESCRIPT
from streamdocs.samples import matrix, runner, variants
from tests.sdk_claims import says

REQUEST = {"model": "claude-sonnet-5-5", "max_tokens": 256,
           "messages": [{"role": "user", "content": "Write a haiku about the sea."}]}  # fmt: skip


def run(code: str, env: dict[str, str | None], home) -> str:
    """A few lines of JavaScript importing the samples' SDK, `request` the haiku's."""
    folder = TYPESCRIPT / "node_modules" / ".streamdocs-claims"
    folder.mkdir(exist_ok=True)
    script = folder / f"{uuid.uuid4().hex}.mjs"
    script.write_text(
        'import Anthropic from "@anthropic-ai/sdk";\n'
        f"const request = {json.dumps(REQUEST)};\n" + code,
        encoding="utf-8",
    )
    environ = {"PATH": os.environ["PATH"], "HOME": str(home), **env}
    try:
        result = runner.run_node(script, {k: v for k, v in environ.items() if v is not None})
    finally:
        script.unlink()
    assert not result.crash, result.output
    return result.output.strip()


LOOP = """
const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);
let outcome = "ended";
try {
  for await (const _ of stream) {
    if (BUSY) await new Promise((resolve) => setTimeout(resolve, 20));
  }
} catch (err) {
  outcome = `threw ${err.constructor.name}`;
}
const done = await stream.done().then(() => "ok", (err) => err.constructor.name);
console.log(`${outcome}; errored ${stream.errored}; done() ${done}`);
"""


@pytest.mark.parametrize(
    ("busy", "expected"),
    [
        (False, "threw APIConnectionError; errored true; done() APIConnectionError"),
        (True, "ended; errored true; done() APIConnectionError"),
    ],
    ids=["waiting for the next event", "busy in its body"],
)
def test_a_for_await_loop_busy_when_the_connection_drops_ends_without_an_error(
    tmp_path, busy, expected
):
    """MessageStream's iterator rejects only the reads waiting when the error comes
    (lib/MessageStream.ts, the `error` listener); a later read finds it done."""
    body = variants.recorded_body("ts/text_stream")
    ends = [end for _, end, _ in breaks.parsed_events(body)]
    with Emulator() as emulator:
        url = emulator.add_case(uuid.uuid4().hex, Fault(body, cut_at=ends[10], abrupt=True))
        env = {"ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": url}
        printed = run(LOOP.replace("BUSY", json.dumps(busy)), env, tmp_path)
    assert printed == expected
    says(
        "troubleshooting/errors.md",
        "a loop whose body is awaiting something else when the error comes (a write, a "
        "timer) ends without an error instead, with `stream.errored` set",
    )
    says(
        "reference/typescript.md",
        "A failure is thrown only into a loop waiting for its next event.",
        "a loop busy awaiting something else in its body when the stream fails just ends",
    )


RAW = """
try {
  const client = new Anthropic({ maxRetries: 0 });
  for await (const _ of await client.messages.create({ ...request, stream: true }));
} catch (err) {
  const sdk = err instanceof Anthropic.AnthropicError ? "AnthropicError" : "not AnthropicError";
  console.log(`${err.constructor.name}, ${sdk}: ${err.message.split(":")[0]}`);
}
"""


def test_the_raw_stream_throws_a_plain_error_for_a_profile_that_is_not_json(tmp_path):
    setup = variants.CREDENTIALS["a default profile on disk that is not JSON"]
    for name, text in setup["home_files"].items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Emulator() as emulator:
        env = {"ANTHROPIC_BASE_URL": emulator.url, "ANTHROPIC_API_KEY": None}
        printed = run(RAW, env, tmp_path)
    config = tmp_path / next(iter(setup["home_files"]))
    assert printed == f"Error, not AnthropicError: failed to parse config file {config}"
    says(
        "troubleshooting/errors.md",
        "In TypeScript, all at the first request: `CredentialsError`, `AnthropicError`, "
        "`WorkloadIdentityError`, `AuthenticationError`, or from "
        "`messages.create()` a plain `Error`",
    )


DONE = """
const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);
const done = await stream.done().then(() => "resolves", (err) => err.constructor.name);
const final = await stream.finalMessage().then(() => "resolves", (err) => err.message);
console.log(`done() ${done}; finalMessage() ${final}`);
"""


def test_done_resolves_when_the_body_ends_cleanly_without_message_stop(tmp_path):
    body = variants.recorded_body("ts/text_stream")
    ends = [end for _, end, _ in breaks.parsed_events(body)]
    with Emulator() as emulator:
        url = emulator.add_case(uuid.uuid4().hex, Fault(body, cut_at=ends[-2], abrupt=False))
        env = {"ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": url}
        printed = run(DONE, env, tmp_path)
    no_message = "stream ended without producing a Message with role=assistant"
    assert printed == f"done() resolves; finalMessage() {no_message}"
    says(
        "reference/typescript.md",
        "resolves when the body has ended without an error, `message_stop` or not",
    )


HEADERS_STALL = """
if (NODE_WAIT_MS) {  // Node's fetch gives up on headers after 300 s: here after NODE_WAIT_MS
  const node = Symbol.for("undici.globalDispatcher.1");
  await fetch("http://127.0.0.1:1/").catch(() => {});  // Node makes its dispatcher on first use
  globalThis[node] = new globalThis[node].constructor({ headersTimeout: NODE_WAIT_MS });
}
// a case of its own for each stream: the emulator breaks a case's first request (and retries);
// each made just before it is awaited, so none fails with no handler yet
const urls = JSON.parse(process.env.STALLING_URLS);
const ask = (baseURL) =>
  new Anthropic({ baseURL, timeout: SDK_TIMEOUT_MS, maxRetries: 1 }).messages.stream(request);
const name = (e) => e instanceof Anthropic.APIConnectionError
  ? `${e.constructor.name}, an APIConnectionError: ${e.message}` : `other: ${e}`;
const final = await ask(urls[0]).finalMessage().then(() => "ok", name);
const done = await ask(urls[1]).done().then(() => "ok", name);
let loop = "ended";
try { for await (const _ of ask(urls[2])); } catch (e) { loop = name(e); }
console.log(`finalMessage() ${final}\ndone() ${done}\nfor await ${loop}`);
const defaults = new Anthropic();
console.log(`defaults: timeout ${defaults.timeout / 1000} s, maxRetries ${defaults.maxRetries}`);
"""


@pytest.mark.parametrize(
    ("sdk_ms", "node_ms", "message"),
    [(300, 0, "timed out after 0.3s"), (5000, 300, "timed out")],
    ids=["the SDK's timeout first", "Node's wait first"],
)
def test_silence_before_the_headers_fails_with_a_connection_timeout_after_each_retry(
    tmp_path, sdk_ms, node_ms, message
):
    """The SDK's `timeout` or Node's wait for the headers, whichever ends first, then a
    retry (client.js makeRequest: `isTimeout`, then APIConnectionTimeoutError, whose
    message gives the wait only when the SDK's own timer fired)."""
    body = variants.recorded_body("ts/text_stream")
    code = HEADERS_STALL.replace("SDK_TIMEOUT_MS", str(sdk_ms)).replace(
        "NODE_WAIT_MS", str(node_ms)
    )
    with Emulator() as emulator:
        cases = [uuid.uuid4().hex for _ in range(3)]
        urls = [
            emulator.add_case(c, Fault(body, stall_at="headers", stall_seconds=2.0)) for c in cases
        ]
        env = {"ANTHROPIC_API_KEY": matrix.KEY, "STALLING_URLS": json.dumps(urls)}
        printed = run(code, env, tmp_path)
        sent = [len(emulator.case_log(case).requests) for case in cases]
    host = urlsplit(urls[0]).netloc
    failed = f"APIConnectionTimeoutError, an APIConnectionError: Request to {host} {message}"
    assert printed.splitlines() == [
        f"finalMessage() {failed}",
        f"done() {failed}",
        f"for await {failed}",
        "defaults: timeout 600 s, maxRetries 2",  # the page's "10-minute", "2 by default"
    ]
    assert sent == [2, 2, 2], f"requests per stream {sent}: each was not retried once"
    says(
        "troubleshooting/errors.md",
        "Silence before the headers ends at the SDK's `timeout` or at Node's `fetch`, which "
        "waits 300 s for the headers, whichever comes first. The request is then retried like "
        "a failed connection (`maxRetries`, 2 by default), and only then do `finalMessage()`, "
        "`done()` and a `for await` loop over the stream fail, before any text, with "
        "`APIConnectionTimeoutError`, a subclass of `APIConnectionError`",
        '"Request to api.anthropic.com timed out after 60s" when the SDK\'s `timeout` ran out '
        '(a client made with `timeout: 60_000`), "Request to api.anthropic.com timed out" '
        "when Node's wait did. With the defaults (a 10-minute `timeout`) Node's comes first: "
        "three waits of 300 s and the back-off between them.",
    )
    says("guides/stalls.md", "`APIConnectionTimeoutError` after the SDK's retries")
    says(
        "complete-example.md",
        "or sent no response headers in time "
        "(`APIConnectionTimeoutError`: the SDK's `timeout` or Node's 300 s)",
    )
    says("troubleshooting/errors.md", "before any text, when the response never started, "
         '`APIConnectionTimeoutError` ("Request to api.anthropic.com timed out")')  # fmt: skip
