"""The recovery guide's sample ends with the complete answer, not a character lost or
repeated, wherever the stream breaks: live against the emulator, which continues an
interrupted answer exactly where it broke, in both forms the API documents."""

from __future__ import annotations

import itertools
import os
import shutil

import anthropic
import pytest
import yaml

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator, wire
from streamdocs.emulator.scenarios import SCENARIO_DIR, SHAPE_DIR
from streamdocs.paths import SNIPPETS, TYPESCRIPT
from streamdocs.samples import matrix, runner

SAMPLE = SNIPPETS / "recover_stream.py"
TYPESCRIPT_SAMPLE = TYPESCRIPT / "recover_stream.ts"
ANSWER = "text_recovery"
MODELS = ["claude-sonnet-5-5", "claude-haiku-4-5"]  # ask to continue / prefill


def full_text() -> str:
    data = yaml.safe_load((SCENARIO_DIR / f"{ANSWER}.yaml").read_text(encoding="utf-8"))
    return data["content"][0]["text"]


def break_points() -> list[int]:
    """After every delta, the last too: each place a real stream can break (C12)."""
    sizes = [len(piece) for piece in wire.split_words(full_text())]
    return list(itertools.accumulate(sizes))


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """The answer, and one scenario per break point: cut there, or an `error` event."""
    folder = tmp_path_factory.mktemp("scenarios")
    shutil.copy(SCENARIO_DIR / f"{ANSWER}.yaml", folder)
    shutil.copy(SCENARIO_DIR / "unauthorized.yaml", folder)  # refusals (T9)
    shutil.copy(SHAPE_DIR / "bad_request.yaml", folder)
    content = [{"text": full_text()}]
    overloaded = {"status": 529, "type": "overloaded_error", "message": "Overloaded"}
    for chars in [0, *break_points()]:
        where = {"at": "content_block_delta"} if chars == 0 else {"after_chars": chars}
        for kind, what in (("cut", {"cut": True}), ("error", {"error": overloaded})):
            scenario = {"description": "x", "content": content, "interrupt": {**where, **what}}
            (folder / f"{kind}_{chars}.yaml").write_text(yaml.safe_dump(scenario))
    # the whole answer and its message_delta, then the connection drops (T10)
    after_end = {
        "description": "x",
        "content": content,
        "interrupt": {"at": "message_stop", "cut": True},
    }
    (folder / "cut_after_the_end.yaml").write_text(yaml.safe_dump(after_end))
    with Emulator(scenario_dir=folder) as emu:
        yield emu


@pytest.fixture
def run(emulator, emulator_env, monkeypatch):
    sdk_internals.no_retry_wait(monkeypatch)
    sdk_internals.reuse_tls_context(monkeypatch)
    emulator_env(emulator)

    def go(scenario: str, model: str, typescript: bool = False) -> runner.Run:
        with emulator.answering(scenario):
            if typescript:  # a Node process each: stdout alone is the answer
                env = dict(os.environ)
                return runner.run_node(TYPESCRIPT_SAMPLE, env, model, separate=True)
            return runner.run_script(SAMPLE, model, catch=True)

    return go


def test_there_are_enough_break_points():
    assert len(break_points()) >= 20
    # the page says "after every one of the answer's deltas": the last one too (C12)
    assert break_points()[-1] == len(full_text())


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("kind", ["cut", "error"])
@pytest.mark.parametrize("typescript", [False, True], ids=["python", "typescript"])
def test_the_answer_comes_out_whole_wherever_it_breaks(run, emulator, model, kind, typescript):
    want = full_text()
    points = [0, *break_points()]
    if typescript:  # a Node process a run: the first, a middle and the last break point
        points = [points[0], points[1], points[len(points) // 2], points[-1]]
    for chars in points:
        result = run(f"{kind}_{chars}", model, typescript)
        assert result.exit_code == 0 and not result.crash, result.output
        text, _, status = result.stdout.rpartition("\n\nstop_reason: ")
        assert status.strip() == "end_turn", result.output
        assert text.rstrip("\n") == want, (
            f"{model}, {kind} after {chars} characters: the sample printed\n"
            f"{text!r}\nnot the answer\n{want!r}"
        )
        sent = [r["json"] for r in emulator.requests[-2:]]
        if chars:  # the second request asked for the rest, in this model's form
            last = sent[-1]["messages"][-1]
            wanted = "assistant" if model.endswith("4-5") else "user"
            assert last["role"] == wanted, sent[-1]["messages"]


def test_the_api_rejects_the_wrong_form_and_trailing_whitespace(emulator):
    client = anthropic.Anthropic(base_url=emulator.url, api_key=matrix.KEY, max_retries=0)
    ask = {"role": "user", "content": "How do I recover when a stream breaks?"}
    with pytest.raises(anthropic.BadRequestError, match="assistant message prefill"):
        client.messages.create(
            model="claude-sonnet-5-5",
            max_tokens=64,
            messages=[ask, {"role": "assistant", "content": "When a stream"}],
        )
    with pytest.raises(anthropic.BadRequestError, match="trailing whitespace"):
        client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=64,
            messages=[ask, {"role": "assistant", "content": "When a stream "}],
        )
    rest = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=1024,
        messages=[ask, {"role": "assistant", "content": "When a stream"}],
    )
    assert "When a stream" + rest.content[0].text == full_text()


@pytest.mark.parametrize("shape", ["unauthorized", "bad_request"])
def test_a_request_the_api_refuses_is_not_resent(run, emulator, shape):
    """T9: only a break or a passing overload is resumed; a 401 or a 400 ends the script
    with the API's message, after one request."""
    before = len(emulator.requests)
    result = run(shape, MODELS[0])
    assert result.exit_code == 1 and not result.crash, result.output
    assert "The API refused the request" in result.output and "resuming" not in result.output
    assert len(emulator.requests) - before == 1


def test_a_break_after_the_answer_ended_asks_for_nothing_more(run, emulator):
    """T10: the connection drops after message_delta: nothing is missing, so no request for
    "the rest" is sent (a model would write more)."""
    before = len(emulator.requests)
    result = run("cut_after_the_end", MODELS[0])
    assert len(emulator.requests) - before == 1, result.output
    assert result.stdout.startswith(full_text()[:20])
    assert "the stream broke after the answer ended (end_turn)" in result.output


def test_the_pages_quote_the_prefill_message_as_reported_not_documented():
    """T3: the wording is what readers report (the emulator sends it); Anthropic documents
    the 400 only, and the pages say so."""
    from streamdocs.emulator import models
    from tests.sdk_claims import says

    first = models.PREFILL.split(".")[0]
    says("guides/recover.md", first, "(Anthropic documents the `400`, not its wording)")
    says("troubleshooting/index.md", first)
