"""Every complete answer, through the SDK's sync and async clients, is what its scenario
defines."""

from __future__ import annotations

import asyncio

import anthropic
import pytest

from streamdocs.emulator.client import (
    KEY,
    differences,
    post,
    request_for,
)
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenarios

SCENARIOS = load_scenarios(SCENARIO_DIR)  # the shapes have their own tests (test_shapes.py)
# scenarios that always answer with a complete message
MESSAGES = [
    name
    for name, s in SCENARIOS.items()
    if all(r.error is None and r.interrupt is None for r in s.replies)
]


@pytest.mark.parametrize("name", MESSAGES)
def test_sdk_stream_and_create(emu, name):
    with anthropic.Anthropic(base_url=emu.base_url(name), api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request_for(SCENARIOS[name])) as stream:
            text = "".join(stream.text_stream)
            streamed = stream.get_final_message()
        created = client.messages.create(**request_for(SCENARIOS[name]))
    assert differences(streamed, SCENARIOS[name]) == []
    assert differences(created, SCENARIOS[name]) == []
    assert text == "".join(b.text for b in streamed.content if b.type == "text")
    assert streamed.usage == created.usage


@pytest.mark.parametrize("name", MESSAGES)
def test_async_sdk_stream(emu, name):
    async def run():
        async with anthropic.AsyncAnthropic(
            base_url=emu.base_url(name), api_key=KEY, max_retries=0
        ) as client:
            async with client.messages.stream(**request_for(SCENARIOS[name])) as stream:
                text = "".join([t async for t in stream.text_stream])
                return text, await stream.get_final_message()

    text, message = asyncio.run(run())
    assert differences(message, SCENARIOS[name]) == []
    assert text == "".join(b.text for b in message.content if b.type == "text")


def test_rate_limit_then_success(emu, instant_retries):
    url = emu.base_url("rate_limit_then_success")
    response, _ = post(url, request_for(SCENARIOS["text"]))  # attempt 0, as curl would see it
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2" and response.headers["x-should-retry"] == "true"

    seen = len(emu.requests)
    with anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=2) as client:
        with client.messages.stream(**request_for(SCENARIOS["rate_limit_then_success"])) as stream:
            message = stream.get_final_message()
    assert differences(message, SCENARIOS["rate_limit_then_success"]) == []
    retries = [r["headers"]["x-stainless-retry-count"] for r in emu.requests[seen:]]
    assert retries == ["0", "1"]
