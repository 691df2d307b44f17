"""The per-model table (streamdocs/emulator/models.yaml) covers the SDK's models, and the
emulator answers each model as the table says."""

from __future__ import annotations

import typing

import anthropic
import pytest
from anthropic.resources.messages.messages import DEPRECATED_MODELS
from anthropic.types import Model

from streamdocs.emulator import models, wire
from streamdocs.emulator.client import KEY

HELLO = [{"role": "user", "content": "Hello there"}]
# The pinned SDK's own list, read here only: the emulator answers the table's ids, which
# ship with it (a reader's installed SDK may list others).
SDK_MODELS = frozenset(
    value
    for arg in typing.get_args(Model)
    if typing.get_origin(arg) is typing.Literal
    for value in typing.get_args(arg)
)


def test_the_table_holds_every_model_the_sdk_lists_once():
    listed = [model_id for entry in models.table().models for model_id in entry.ids]
    twice = sorted({m for m in listed if listed.count(m) > 1})
    assert not twice, f"streamdocs/emulator/models.yaml lists {twice} twice"
    missing = sorted(SDK_MODELS - set(listed))
    extra = sorted(set(listed) - SDK_MODELS)
    assert not missing and not extra, (
        f"streamdocs/emulator/models.yaml: the SDK lists {missing} which the table lacks "
        f"(add a row, citing Anthropic's pages); the table has {extra} which the SDK no "
        "longer lists (remove it)"
    )
    assert set(DEPRECATED_MODELS) <= set(listed)


def test_every_fact_names_a_source_or_says_it_is_assumed():
    for entry in models.table().models:
        for fact in models.FACTS:
            assert fact in entry.sources or fact in entry.assumed, (entry.name, fact)
            for name in entry.sources.get(fact, ()):
                assert models.table().documents[name].startswith("https://platform.claude.com/")


def stream(emu, **body):
    request = {"model": "claude-sonnet-5-5", "max_tokens": 1024, "messages": HELLO, **body}
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request) as stream:
            return stream.get_final_message()


def test_a_model_that_thinks_by_default_thinks_before_its_answer(emu):
    omitted = stream(emu)  # claude-sonnet-5-5: adaptive thinking on, display omitted
    assert [b.type for b in omitted.content] == ["thinking", "text"]
    assert omitted.content[0].thinking == "" and omitted.content[0].signature
    summarized = stream(emu, thinking={"type": "adaptive", "display": "summarized"})
    assert summarized.content[0].thinking
    plain = stream(emu, model="claude-sonnet-4-6")  # thinking off unless asked
    assert [b.type for b in plain.content] == ["text"]
    assert plain.content[0].text == omitted.content[1].text


def test_omitted_thinking_streams_an_empty_delta_then_the_signature(emu):
    import httpx2

    request = {"model": "claude-sonnet-5-5", "max_tokens": 1024, "messages": HELLO}
    headers = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
    body = httpx2.post(f"{emu.url}/v1/messages", json={**request, "stream": True}, headers=headers)
    kinds = [
        line.split('"type":"')[2].split('"')[0]
        for line in body.text.splitlines()
        if line.startswith("data:") and '"index":0' in line and "content_block_delta" in line
    ]
    assert kinds == ["thinking_delta", "signature_delta"]


@pytest.mark.parametrize(
    ("model", "body", "message"),
    [
        ("claude-sonnet-5-5", {"thinking": {"type": "disabled"}}, '"between_tools"'),
        ("claude-sonnet-5-5", {"thinking": {"type": "enabled", "budget_tokens": 1024}}, "enabled"),
        ("claude-haiku-4-5", {"thinking": {"type": "adaptive"}}, "adaptive thinking"),
        ("claude-opus-5-5", {"thinking": {"type": "disabled"}}, "disabled"),
        ("claude-sonnet-5-5", {"tool_choice": {"type": "any"}}, 'tool_choice: type "tool"'),
        ("claude-sonnet-5-5", {"max_tokens": 200_000}, "maximum allowed number of output"),
        # the SDK takes no sampling parameters: a curl request can still send them
        ("claude-sonnet-5-5", {"extra_body": {"temperature": 0.2}}, "temperature"),
        (
            "claude-sonnet-5-5",
            {"messages": [*HELLO, {"role": "assistant", "content": "Hi"}]},
            "assistant message prefill",
        ),
    ],
)
def test_a_request_the_model_rejects_gets_400(emu, model, body, message):
    request = {"model": model, "max_tokens": 1024, "messages": HELLO, **body}
    if "tool_choice" in body:
        request["tools"] = [{"name": "f", "input_schema": {"type": "object"}}]
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with pytest.raises(anthropic.BadRequestError, match=message.replace("(", r"\(")):
            client.messages.create(**request, stream=True)


def test_a_model_that_takes_prefill_continues_it(emu):
    messages = [*HELLO, {"role": "assistant", "content": "Hello"}]
    message = stream(emu, model="claude-haiku-4-5", messages=messages)
    assert message.stop_reason == "end_turn"


def test_cache_minimums_come_from_the_table():
    assert wire.min_cacheable("claude-sonnet-5-5") == 512
    assert (
        wire.min_cacheable("claude-haiku-4-5") == models.facts("claude-haiku-4-5").cache_min_tokens
    )
