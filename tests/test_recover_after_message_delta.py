"""recover_stream, in both languages, when the body ends cleanly after message_delta and
before message_stop: the answer's text is all there and its stop reason known, so it
stops with a message, as when the connection drops there, and sends no request for
"the rest", which a model would answer with more text (recover.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from streamdocs.emulator import Emulator, breaks
from streamdocs.emulator.variants import Fault
from streamdocs.paths import SNIPPETS
from streamdocs.samples import matrix, runner, variants
from tests.sdk_claims import says


@pytest.mark.parametrize("abrupt", [False, True], ids=["ends cleanly", "drops"])
@pytest.mark.parametrize("sample", ["recover_stream", "ts/recover_stream"])
def test_a_break_after_message_delta_stops_without_asking_for_more(tmp_path, sample, abrupt):
    body = variants.recorded_body(sample)
    ends = [end for _, end, payload in breaks.parsed_events(body)
            if payload.get("type") == "message_delta"]  # fmt: skip
    with Emulator() as emulator:
        case = uuid.uuid4().hex
        url = emulator.add_case(case, Fault(body, cut_at=ends[0], abrupt=abrupt))
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
               "ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": url}  # fmt: skip
        if sample.startswith("ts/"):
            run = runner.run_node(SNIPPETS / f"{sample}.ts", env)
            code, output = run.exit_code, run.output
        else:
            done = subprocess.run(
                [sys.executable, str(SNIPPETS / f"{sample}.py")], env=env,
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            code, output = done.returncode, done.stdout + done.stderr
        asked = len(emulator.case_log(case).requests)
    ended = "broke" if abrupt else "ended"
    assert code == 1 and f"the stream {ended} after the answer ended (end_turn)" in output, output
    assert "resuming" not in output and asked == 1, f"{asked} requests:\n{output}"
    says(
        "guides/recover.md",
        "A body that ends, cleanly or not, after `message_delta` but before "
        "`message_stop` has all its text",
    )


@pytest.mark.parametrize("sample", ["recover_stream.py", "ts/recover_stream.ts"])
def test_the_prefill_comment_does_not_say_every_other_model_rejects_one(sample):
    """claude-opus-4-5 takes a prefill (the models table) and is not in the list (the SDK
    deprecates it): the comment above the list may not call the rest all refusers."""
    from streamdocs.emulator import models

    text = (SNIPPETS / sample).read_text(encoding="utf-8")
    listed = ("claude-haiku-4-5",)
    outside = [m for m in models.known() if models.facts(m).prefill and not m.startswith(listed)]
    assert outside, "every model that takes a prefill is listed: the old comment held"
    assert "others reject one" not in text or "most others reject one" in text


def test_a_body_closed_inside_a_character_is_resumed(tmp_path):
    """A proxy that closes the body cleanly inside a multi-byte character makes the Python
    SDK raise the builtin UnicodeDecodeError: recover_stream takes it for a break and
    resumes (it crashed with a traceback, past `except anthropic.APIError`)."""
    from streamdocs.emulator.canned import START, end, sse, text_block

    body = sse(START, *text_block(0, "Streaming is like a café", " line."), *end())
    with Emulator() as emulator:
        case = uuid.uuid4().hex
        cut = body.index("é".encode()) + 1
        url = emulator.add_case(case, Fault(body, cut_at=cut, abrupt=False))
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
               "ANTHROPIC_API_KEY": matrix.KEY, "ANTHROPIC_BASE_URL": url}  # fmt: skip
        done = subprocess.run(
            [sys.executable, str(SNIPPETS / "recover_stream.py")], env=env,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        asked = len(emulator.case_log(case).requests)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "[UnicodeDecodeError; resuming]" in output, output
    assert "Traceback" not in output and asked == 2, f"{asked} requests:\n{output}"
