"""The emulator kit against three mistakes a reader's streaming code makes (docs/testing.md):
a retry that shows the answer again from its start is caught though the retry's answer is
complete; running a tool call that max_tokens cut, and summing `usage` where it must be
replaced, pass, because the kit judges only what code shows and raises: the page says so."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from streamdocs.paths import DOCS

MISTAKES = """
import anthropic
import pytest

MODEL = "claude-sonnet-5-5"
HAIKU = [{"role": "user", "content": "Write a haiku about the sea."}]
ASK = [{"role": "user", "content": "What's the weather in Paris?"}]
TOOLS = [{"name": "get_weather", "description": "The weather of a city.",
          "input_schema": {"type": "object", "required": ["location"],
                           "properties": {"location": {"type": "string"}}}}]


def client():
    return anthropic.Anthropic(timeout=anthropic.Timeout(10, read=0.3), max_retries=0)


def retries_from_the_start(client):
    for attempt in range(3):
        try:
            with client.messages.stream(
                model=MODEL, max_tokens=1024, messages=HAIKU
            ) as stream:
                for text in stream.text_stream:
                    print(text, end="", flush=True)
                message = stream.get_final_message()
            print(f"\\n[stop_reason: {message.stop_reason}]")
            return
        except anthropic.APIError as err:
            print(f"\\n[retrying after {type(err).__name__}]")
    raise RuntimeError("gave up")


def runs_a_cut_tool_call(client):
    with client.messages.stream(
        model=MODEL, max_tokens=1024, messages=ASK, tools=TOOLS
    ) as stream:
        message = stream.get_final_message()
    for block in message.content:
        if block.type == "tool_use":
            print(f"ran get_weather({block.input})")
    print(f"[stop_reason: {message.stop_reason}]")


def sums_usage(client):
    tokens = 0
    with client.messages.stream(model=MODEL, max_tokens=1024, messages=HAIKU) as stream:
        for event in stream:
            if event.type == "text":
                print(event.text, end="", flush=True)
            elif event.type == "message_start":
                tokens += event.message.usage.output_tokens
            elif event.type == "message_delta":
                tokens += event.usage.output_tokens  # cumulative: replace, not add
        message = stream.get_final_message()
    print(f"\\n[stop_reason: {message.stop_reason}] {tokens} tokens")


def test_retry(claude_answer):
    claude_answer.check(retries_from_the_start, client())


@pytest.mark.claude_answers(shapes=["tool_use_max_tokens"], faults=False)
def test_cut_tool_call(claude_answer):
    [ran] = claude_answer.check(runs_a_cut_tool_call, client())
    assert "stop_reason: max_tokens" in ran.run.output, ran.run.output


@pytest.mark.claude_answers(shapes=["natural", "max_tokens"], faults=False)
def test_usage(claude_answer):
    claude_answer.check(sums_usage, client())
"""


def outcomes(report) -> dict[str, tuple[str, str]]:
    """test id -> (passed / skipped / failed, its message), from pytest's JUnit XML."""
    found = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        child = next((c for c in case if c.tag in ("skipped", "failure", "error")), None)
        outcome = {None: "passed", "skipped": "skipped"}.get(getattr(child, "tag", None), "failed")
        said = "" if child is None else child.get("message", "") + (child.text or "")
        found[case.get("name", "")] = (outcome, said)
    return found


def test_the_kit_catches_a_repeating_retry_and_leaves_tool_calls_and_figures_to_you(tmp_path):
    (tmp_path / "test_mistakes.py").write_text(MISTAKES, encoding="utf-8")
    report = tmp_path / "report.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "streamdocs.kit.plugin", "-p", "no:cacheprovider",
         "-q", f"--junitxml={report}", "--claude-stall=1", "--claude-shape=natural",
         "--claude-shape=max_tokens", "--claude-shape=tool_use_max_tokens", "test_mistakes.py"],
        cwd=tmp_path, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "PYTHON"))},
    )  # fmt: skip
    ran = outcomes(report)
    outcome, said = ran["test_retry[natural-faults]"]
    assert outcome == "failed" and "showed text twice" in said, (outcome, done.stdout[-2000:])
    assert "don't show what was already shown" in said, said[:800]
    assert ran["test_retry[natural]"][0] == "passed", ran["test_retry[natural]"]
    # what the page says the kit does not judge: it passes both
    for case in ("test_cut_tool_call[tool_use_max_tokens]", "test_usage[natural]",
                 "test_usage[max_tokens]"):  # fmt: skip
        assert ran[case][0] == "passed", (case, ran[case][1][:800], done.stdout[-2000:])


def test_the_page_says_what_the_kit_does_not_judge():
    page = " ".join((DOCS / "testing.md").read_text(encoding="utf-8").split()).lower()
    said = ("what your code does with a tool's input", "a `usage` count", "claude_answer.run")
    for words in said:
        assert words in page, words
