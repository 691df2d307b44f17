"""What a cassette cannot hold: how the bytes are chunked and paced on a live socket."""

from __future__ import annotations

import time

import anthropic

from streamdocs.emulator import Emulator
from streamdocs.emulator.client import KEY, differences, http_chunks, post, request_for
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenarios

SCENARIOS = load_scenarios(SCENARIO_DIR)  # the shapes have their own tests (test_shapes.py)


def test_chunk_size_splits_events_and_the_sdk_reassembles_them(emu):
    body = request_for(SCENARIOS["text_haiku"], stream=True)
    with Emulator(chunk_size=1) as tiny:
        chunks = http_chunks(tiny.base_url("text_haiku"), body)
        url = tiny.base_url("text_haiku")
        with anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0) as client:
            with client.messages.stream(**request_for(SCENARIOS["text_haiku"])) as stream:
                message = stream.get_final_message()
    assert {len(c) for c in chunks} == {1}  # one HTTP chunk per byte, "—" split too
    _, whole = post(emu.base_url("text_haiku"), body)
    assert b"".join(chunks) == whole
    assert differences(message, SCENARIOS["text_haiku"]) == []


def test_delay_delivers_text_incrementally():
    with Emulator(delay=0.05) as slow:
        client = anthropic.Anthropic(
            base_url=slow.base_url("text_haiku"), api_key=KEY, max_retries=0
        )
        with client:
            started = time.monotonic()
            arrivals = []
            with client.messages.stream(**request_for(SCENARIOS["text_haiku"])) as stream:
                for _ in stream.text_stream:
                    arrivals.append(time.monotonic() - started)
            finished = time.monotonic() - started
    # 11 events, 10 pauses: the first text comes after 3, the last after 7
    assert len(arrivals) == 5
    assert arrivals[0] < 0.35
    assert arrivals[-1] - arrivals[0] >= 0.15
    assert finished >= 0.4
