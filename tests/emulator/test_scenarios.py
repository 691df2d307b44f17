"""Scenario files, and which scenario answers a request."""

from __future__ import annotations

import anthropic
import pytest

from streamdocs.emulator.client import (
    KEY,
    WEATHER_TOOL,
    differences,
    request_for,
)
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenario, load_scenarios

SCENARIOS = load_scenarios(SCENARIO_DIR)  # the shapes have their own tests (test_shapes.py)


def test_required_scenarios_exist_and_describe_themselves():
    required = {
        "text",
        "max_tokens",
        "tool_use",
        "thinking",
        "error_event",
        "rate_limit_then_success",
        "overloaded",
        "unauthorized",
        "unknown_model",
        "connection_cut",
        "gzip",
        "stall",
    }
    assert required <= set(SCENARIOS)
    assert len([s for s in SCENARIOS.values() if s.prompt is not None]) >= 3
    for scenario in SCENARIOS.values():
        assert scenario.description.strip() and "\n" not in scenario.description.strip()


def test_scenario_files_with_typos_are_rejected(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("description: x\ncontent:\n  - text: hi\nstop_reason: end_turn\nping: 2\n")
    with pytest.raises(ValueError, match="ping"):
        load_scenario(path)


def test_binds_loopback_only(emu):
    assert emu.url.startswith("http://127.0.0.1:")
    assert emu.addresses and all(host == "127.0.0.1" for host, _ in emu.addresses)


@pytest.mark.parametrize(
    ("extra", "prompt", "expected"),
    [
        ({}, "Write a haiku about the sea", "text_haiku"),
        ({}, "Tell me a short story about a ROBOT", "text_robot"),
        ({}, "Explain quantum computing in one sentence", "text_quantum"),
        ({}, "What does streaming do?", "text_streaming"),
        ({}, "Hello there", "text"),
        ({"tools": [WEATHER_TOOL]}, "What's the weather in Paris?", "tool_use"),
        ({"thinking": {"type": "adaptive"}}, "What is 27 * 453?", "thinking"),
        ({"thinking": {"type": "disabled"}}, "Hello there", "text"),
    ],
)
def test_scenario_is_chosen_automatically(emu, extra, prompt, expected):
    """With a model that does not think unless asked (models.yaml): its natural answer is
    the scenario's, block for block."""
    body = {
        **request_for(SCENARIOS["text"]),
        "model": "claude-sonnet-4-6",
        "messages": [{"role": "user", "content": prompt}],
        **extra,
    }
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**body) as stream:
            message = stream.get_final_message()
    assert differences(message, SCENARIOS[expected]) == []


def test_tools_with_thinking_think_then_call(emu):
    body = {
        **request_for(SCENARIOS["text"]),
        "model": "claude-sonnet-4-6",
        "tools": [WEATHER_TOOL],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
    }
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**body) as stream:
            message = stream.get_final_message()
    assert [b.type for b in message.content] == ["thinking", "tool_use"]
    assert message.stop_reason == "tool_use"


def test_any_text_stops_at_max_tokens(emu):
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        body = request_for(SCENARIOS["text"], max_tokens=5)
        with client.messages.stream(**body) as stream:
            text = "".join(stream.text_stream)
            message = stream.get_final_message()
    assert text == SCENARIOS["text"].text[:20]
    assert (message.stop_reason, message.usage.output_tokens) == ("max_tokens", 5)


def test_the_answer_after_tool_results_uses_them(emu):
    """T38: not a fixed sentence that contradicts what the tool returned."""
    body = {**request_for(SCENARIOS["text"]), "model": "claude-sonnet-4-6", "tools": [WEATHER_TOOL]}
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**body) as stream:
            turn = stream.get_final_message()
        calls = [block for block in turn.content if block.type == "tool_use"]
        results = [
            {"type": "tool_result", "tool_use_id": calls[0].id, "content": '{"rain": "70%"}'},
        ]
        body["messages"] = [
            *body["messages"],
            {"role": "assistant", "content": turn.content},
            {"role": "user", "content": results},
        ]
        with client.messages.stream(**body) as stream:
            answer = stream.get_final_message()
    text = "".join(block.text for block in answer.content if block.type == "text")
    assert text == f'From the tool results: {calls[0].name} returned {{"rain": "70%"}}.'
