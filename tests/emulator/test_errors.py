"""Failures as the API gives them, and as the SDK raises them."""

from __future__ import annotations

import json
import time

import anthropic
import httpx2
import pydantic
import pytest
from anthropic.types import ErrorResponse

from streamdocs.emulator import Emulator
from streamdocs.emulator.client import (
    KEY,
    MODEL,
    post,
    request_for,
)
from streamdocs.emulator.models import known
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenarios

SCENARIOS = load_scenarios(SCENARIO_DIR)  # the shapes have their own tests (test_shapes.py)
ERROR = pydantic.TypeAdapter(ErrorResponse)


def test_bad_or_missing_key_is_unauthorized(emu):
    with anthropic.Anthropic(base_url=emu.url, api_key="not-a-key", max_retries=0) as client:
        with pytest.raises(anthropic.AuthenticationError) as caught:
            client.messages.create(**request_for(SCENARIOS["text"]))
    assert caught.value.status_code == 401 and caught.value.type == "authentication_error"
    response, _ = post(emu.url, request_for(SCENARIOS["text"]), headers={"x-api-key": ""})
    assert response.status_code == 401 and response.headers["x-should-retry"] == "false"
    # a forced scenario wins over the key check
    response, _ = post(
        emu.base_url("text"), request_for(SCENARIOS["text"]), headers={"x-api-key": ""}
    )
    assert response.status_code == 200


def test_curl_style_x_api_key_is_accepted(emu):
    response, _ = post(emu.url, request_for(SCENARIOS["text"]), headers={"x-api-key": KEY})
    assert response.status_code == 200
    assert emu.requests[-1]["headers"]["x-api-key"] == KEY


def test_unknown_model_is_not_found(emu):
    assert MODEL in known() and "claude-haiku-4-5" in known()
    with anthropic.Anthropic(base_url=emu.url, api_key=KEY, max_retries=0) as client:
        with pytest.raises(anthropic.NotFoundError) as caught:
            client.messages.create(**request_for(SCENARIOS["text"], model="claude-imaginary-9"))
    assert caught.value.api_message == "model: claude-imaginary-9"


def test_malformed_request_and_unknown_path(emu):
    response, data = post(
        emu.url, {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]}
    )
    assert response.status_code == 400
    assert json.loads(data)["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens: Field required",
    }
    with httpx2.Client() as client:
        response = client.get(f"{emu.url}/v1/models")
    assert response.status_code == 404
    assert ERROR.validate_python(response.json(), strict=True).error.type == "not_found_error"


def test_overloaded_is_529(emu):
    response, _ = post(emu.base_url("overloaded"), request_for(SCENARIOS["overloaded"]))
    assert (response.status_code, response.reason_phrase) == (529, "")
    assert response.headers["x-should-retry"] == "true"
    with anthropic.Anthropic(
        base_url=emu.base_url("overloaded"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(anthropic.OverloadedError) as caught:
            with client.messages.stream(**request_for(SCENARIOS["overloaded"])) as stream:
                stream.get_final_message()
    assert caught.value.status_code == 529


def test_error_event_raises_api_status_error(emu):
    text = ""
    with anthropic.Anthropic(
        base_url=emu.base_url("error_event"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(anthropic.APIStatusError) as caught:
            with client.messages.stream(**request_for(SCENARIOS["error_event"])) as stream:
                for piece in stream.text_stream:
                    text += piece
    # a 200 status maps to no subclass: the SDK raises APIStatusError itself
    assert type(caught.value) is anthropic.APIStatusError
    assert (caught.value.status_code, caught.value.type) == (200, "overloaded_error")
    after = SCENARIOS["error_event"].replies[-1].interrupt.after_chars
    assert len(text) >= after and SCENARIOS["error_event"].text.startswith(text)


def test_connection_cut_is_an_incomplete_chunked_read(emu):
    text = ""
    with anthropic.Anthropic(
        base_url=emu.base_url("connection_cut"), api_key=KEY, max_retries=0
    ) as client:
        with pytest.raises(anthropic.APIConnectionError, match="incomplete chunked read"):
            with client.messages.stream(**request_for(SCENARIOS["connection_cut"])) as stream:
                for piece in stream.text_stream:
                    text += piece
    full = SCENARIOS["connection_cut"].text
    assert 0 < len(text) < len(full) and full.startswith(text)


def test_stall_times_out_and_emulator_stops_promptly():
    with Emulator() as emu:
        client = anthropic.Anthropic(
            base_url=emu.base_url("stall"), api_key=KEY, max_retries=0, timeout=0.5
        )
        with client:
            started = time.monotonic()
            # mid-stream as before the response, the SDK raises its own class
            with pytest.raises(anthropic.APITimeoutError):
                with client.messages.stream(**request_for(SCENARIOS["stall"])) as stream:
                    for _ in stream.text_stream:
                        pass
            with pytest.raises(anthropic.APITimeoutError):
                client.messages.create(**request_for(SCENARIOS["stall"]))
            assert time.monotonic() - started < 3
        stopping = time.monotonic()
    assert (
        time.monotonic() - stopping < 1.5
    )  # both handlers woke at shutdown, before the 2 s stall ended
