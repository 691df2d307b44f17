"""Samples run against answers their cassettes do not hold."""

from __future__ import annotations

import ast
import json
import runpy
from types import SimpleNamespace

import anthropic

from streamdocs.emulator.canned import START, Body, client_serving, end, sse, text_block
from streamdocs.paths import SNIPPETS
from tests.sdk_claims import says

# --- samples run against answers their cassettes do not hold -------------------------------------


def run_sample(name: str, body: Body, monkeypatch, capsys) -> str:
    monkeypatch.setattr(anthropic, "Anthropic", lambda **options: client_serving(body, **options))
    runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    return capsys.readouterr().out


def test_usage_sample_takes_input_tokens_from_message_delta(monkeypatch, capsys):
    """Finding 13: message_delta's input_tokens is the total; the sample must take it."""
    events = [START, *text_block(0, "a"), *end(input_tokens=25, output_tokens=7)]
    out = run_sample("usage_cumulative", Body([sse(*events)]), monkeypatch, capsys)
    assert out.strip() == "input_tokens=25 output_tokens=7 stop_reason=end_turn", out


def test_final_message_sample_survives_an_answer_without_text(monkeypatch, capsys):
    """Finding 31: get_final_text() raises RuntimeError when no block is text."""
    tool = [
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}},
        },
        {"type": "content_block_stop", "index": 0},
    ]
    out = run_sample("final_message", Body([sse(START, *tool, *end())]), monkeypatch, capsys)
    assert out.startswith("end_turn: 9 output tokens"), out


def test_the_tool_loop_reports_any_tool_failure_to_the_model():
    """T13: a tool that fails the usual way (its service is down) is an is_error result,
    not an exception that ends the loop with a tool_use turn left unanswered."""
    source = (SNIPPETS / "tool_loop.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    namespace: dict = {"json": json}
    exec(compile(ast.Module(functions, []), "tool_loop.py", "exec"), namespace)

    def down(location: str) -> str:
        raise ConnectionError("weather service unreachable")

    namespace["get_weather"] = down
    call = SimpleNamespace(id="toolu_1", name="get_weather", input={"location": "Paris"})
    result = namespace["run_tool"](call)
    assert result["is_error"] is True and "unreachable" in result["content"], result
    says("guides/tool-use.md", "for a bad argument or any other error it raises")
