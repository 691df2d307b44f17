"""What the TypeScript SDK's MessageStream does when an answer fails or is aborted, as
docs/reference/typescript.md says (src/lib/MessageStream.ts): a `for await` loop that is
busy when the connection drops ends as if the answer were complete, and only
`finalMessage()` throws; a body that ends cleanly before `message_stop` fires no `error`,
resolves `done()` and leaves `currentMessage` undefined; after `abort()` the events of a
chunk already read still come, `aborted` still false; an abort nothing listens for ends
the process."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from streamdocs.emulator import Emulator
from streamdocs.emulator.variants import Fault, event_ends
from streamdocs.paths import DOCS, TYPESCRIPT
from streamdocs.samples import matrix, runner

PAGE = DOCS / "reference" / "typescript.md"
HAIKU = {"model": "claude-sonnet-5-5", "max_tokens": 256,
         "messages": [{"role": "user", "content": "Write a haiku about the sea."}]}  # fmt: skip


def run_script(emulator, tmp_path, code: str, scenario=None, fault=None) -> runner.Run:
    """A few lines of JavaScript importing the samples' SDK, `request` the haiku, the API the
    emulator (a scenario, or a case broken by `fault`); written under node_modules, which
    resolves the SDK and which no check of the samples reads."""
    folder = TYPESCRIPT / "node_modules" / ".streamdocs-claims"
    folder.mkdir(exist_ok=True)
    script = folder / f"{uuid.uuid4().hex}.mjs"
    script.write_text(
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const request = JSON.parse(process.argv[2]);\n" + code,
        encoding="utf-8",
    )
    url = emulator.add_case(uuid.uuid4().hex, fault) if fault else emulator.base_url(scenario)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ANTHROPIC_API_KEY": matrix.KEY,
           "ANTHROPIC_BASE_URL": url}  # fmt: skip
    try:
        return runner.run_node(script, env, json.dumps(HAIKU), patches=())
    finally:
        script.unlink()


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


def test_a_busy_for_await_loop_ends_normally_when_the_connection_drops(emulator, tmp_path):
    result = run_script(
        emulator,
        tmp_path,
        "const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);\n"
        "let events = 0;\n"
        "for await (const event of stream) {\n"
        "  events++;\n"
        "  await new Promise((done) => setTimeout(done, 100)); // saving it, say\n"
        "}\n"
        "console.log(`loop ended after ${events} events, errored ${stream.errored}`);\n"
        "await stream.finalMessage().catch((e) => console.log(`threw ${e.name}`));\n",
        scenario="connection_cut",
    )
    assert "loop ended after" in result.output and "errored true" in result.output, result.output
    assert "threw APIConnectionError" in result.output, result.output


@pytest.mark.parametrize("after", [0, 5, 14])
def test_a_clean_end_before_message_stop_is_no_failure_to_the_stream(emulator, tmp_path, after):
    body = emulator.answer_body(HAIKU)
    fault = Fault(cut_at=event_ends(body)[after], abrupt=False)
    result = run_script(
        emulator,
        tmp_path,
        "const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);\n"
        "const seen = [];\n"
        'for (const name of ["error", "finalMessage", "end"]) {\n'
        "  stream.on(name, () => seen.push(name));\n"
        "}\n"
        'const done = await stream.done().then(() => "resolved", () => "rejected");\n'
        "const final = await stream.finalMessage().then(\n"
        '  () => "resolved", (e) => e.message);\n'
        "const current = stream.currentMessage === undefined;\n"
        "console.log(JSON.stringify({ seen, done, final, current }));\n",
        fault=fault,
    )
    said = json.loads(result.output.strip().splitlines()[-1])
    assert said == {
        "seen": ["end"],
        "done": "resolved",
        "final": "stream ended without producing a Message with role=assistant",
        "current": True,
    }, result.output


def test_after_abort_the_chunk_read_still_comes_with_aborted_false(emulator, tmp_path):
    result = run_script(
        emulator,
        tmp_path,
        "const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);\n"
        'stream.on("abort", () => console.log("abort"));\n'
        "let first = true;\n"
        'stream.on("text", () => {\n'
        "  const signal = stream.controller.signal.aborted;\n"
        "  console.log(`text aborted=${stream.aborted} signal=${signal}`);\n"
        "  if (first) stream.abort();\n"
        "  first = false;\n"
        "});\n"
        "await stream.done().catch(() => {});\n",
    )
    lines = result.output.strip().splitlines()
    assert lines[0] == "text aborted=false signal=false", result.output
    assert lines[1] == "text aborted=false signal=true", result.output
    assert lines[-1] == "abort", result.output


def test_an_abort_nothing_listens_for_ends_the_process(emulator, tmp_path):
    result = run_script(
        emulator,
        tmp_path,
        "const stream = new Anthropic({ maxRetries: 0 }).messages.stream(request);\n"
        'stream.on("text", (text) => process.stdout.write(text));\n'
        'stream.on("connect", () => stream.abort());\n'
        "await new Promise((done) => setTimeout(done, 500));\n"
        'console.log("still running");\n',
    )
    assert result.exit_code != 0 and "still running" not in result.output, result.output
    assert "APIUserAbortError" in result.output, result.output


def test_the_page_says_so():
    page = " ".join(PAGE.read_text(encoding="utf-8").split())
    for words in (
        "the loop ends as if the answer were complete",
        "`stream.aborted` is still `false` while they do",
        "or an abort with no `abort` listener",
        "`end` fires with no `error`, `done()` resolves",
        "and again once the body has ended without an error",
    ):
        assert words in page, words
    assert "an `error` event is thrown as an `APIError`" not in page
    events = " ".join((DOCS / "guides" / "python-events.md").read_text(encoding="utf-8").split())
    assert "an `error` event thrown as an `APIError`" not in events
    assert "a failure is thrown only when the loop is waiting" in events
