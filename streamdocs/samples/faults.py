"""The complete example against the emulator's fault scenarios, live on loopback.

Shared by tests/test_faults.py (which asserts) and `make bench` (which prints the
fault table). "Characters lost" compares what the sample printed with the text the
emulator streamed before the fault, read by a second, independent request: the
emulator is deterministic (ids and text derive from scenario, body and attempt), so
the same request gets the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest

from streamdocs import environment, sdk_internals
from streamdocs.emulator import client
from streamdocs.paths import SNIPPETS
from streamdocs.sse import json_events

from . import runner
from .cases import Case

COMPLETE_EXAMPLE = Case("complete_example", SNIPPETS / "complete_example.py")
FAKE_KEY = "sk-ant-fault-tests"  # short: not key-like (tests/test_secrets.py)
# Short enough that a stalled stream fails fast, long enough for a loopback server.
READ_TIMEOUT = sdk_internals.FAST_READ_TIMEOUT
FAILURE_MARK = "\n\nStream failed: "
SUMMARY_MARK = "\n\nstop reason:"


@dataclass(frozen=True)
class Fault:
    scenario: str
    exit_code: int
    message: str  # what the sample must print for the reader to know what happened
    requests: int = 1  # attempts the SDK makes (retries included)


FAULTS = [
    Fault(
        "connection_cut",
        1,
        "Stream failed: Connection to 127.0.0.1:PORT failed: peer closed connection without "
        "sending complete message body (incomplete chunked read)",
    ),
    Fault("error_event", 1, "Stream failed: overloaded_error: Overloaded (request id req_"),
    Fault("rate_limit_then_success", 0, "stop reason:   end_turn", requests=2),
    # 529 is retried (x-should-retry: true): the SDK's default max_retries is 2.
    Fault("overloaded", 1, "Stream failed: overloaded_error: Overloaded (request id req_", 3),
    Fault("unauthorized", 1, "Stream failed: authentication_error: "),
    Fault("unknown_model", 1, "Stream failed: not_found_error: model: "),
    Fault("max_tokens", 0, "The answer did not end normally (max_tokens)"),
    Fault(
        "stall", 1, f"Stream failed: Request to 127.0.0.1:PORT timed out after {READ_TIMEOUT:g}s"
    ),
    Fault("gzip", 0, "stop reason:   end_turn"),
    Fault("early_end", 1, "Stream failed: the stream ended early, before the answer was complete"),
]


@contextlib.contextmanager
def fast_client_defaults() -> Iterator[None]:
    """No back-off between retries, and a short default timeout, for every client made.

    The complete example builds its client with the SDK's defaults (a 600 s read
    timeout); the sample stays as the reader sees it and the default changes instead.
    """
    with pytest.MonkeyPatch.context() as patch:
        sdk_internals.fast(patch)
        yield


@dataclass
class FaultRun:
    fault: Fault
    output: str
    exit_code: int
    requests: int
    sent: str  # text the emulator streamed on the last attempt, up to the fault
    content_encoding: str | None  # of that last attempt's response

    @property
    def printed(self) -> str:
        """The answer text the sample printed, without its failure report or summary."""
        for mark in (FAILURE_MARK, SUMMARY_MARK):
            if mark in self.output:
                return self.output.split(mark, 1)[0]
        return self.output

    @property
    def characters_lost(self) -> int:
        """Characters streamed before the fault that the reader never saw."""
        common = 0
        for sent, printed in zip(self.sent, self.printed, strict=False):
            if sent != printed:
                break
            common += 1
        return len(self.sent) - common

    @property
    def survived(self) -> bool:
        """Exited with the expected code and said what happened."""
        return self.exit_code == self.fault.exit_code and self.fault.message in self.said

    @property
    def said(self) -> str:
        return runner.unvarying(self.output)


def run_complete_example(emulator, fault: Fault) -> FaultRun:
    """Run snippets/complete_example.py against one scenario and probe what was sent."""
    before = len(emulator.requests)
    base_url = emulator.base_url(fault.scenario)
    with (
        fast_client_defaults(),
        environment.isolated(ANTHROPIC_API_KEY=FAKE_KEY, ANTHROPIC_BASE_URL=base_url),
    ):
        result = runner.run_case(COMPLETE_EXAMPLE)
    requests = emulator.requests[before:]
    sent, encoding = streamed_text(emulator, requests[-1]) if requests else ("", None)
    return FaultRun(fault, result.output, result.exit_code, len(requests), sent, encoding)


def streamed_text(emulator, request: dict) -> tuple[str, str | None]:
    """Replay one recorded request with plain httpx2; the text deltas that arrive before
    the stream ends or breaks, and the response's content-encoding."""
    skip = {"host", "content-length", "connection"}
    headers = {name: value for name, value in request["headers"].items() if name not in skip}
    response, received = client.post(
        emulator.url + request["path"].removesuffix("/v1/messages"),
        request["json"],
        headers=headers,
        timeout=httpx2.Timeout(READ_TIMEOUT, connect=5.0),
    )
    return _text_deltas(received), response.headers.get("content-encoding")


def _text_deltas(body: bytes) -> str:
    """Text of every complete SSE `content_block_delta` event (a truncated one is not sent)."""
    return "".join(
        data["delta"]["text"]
        for _, data in json_events(body)  # an event cut before its blank line is none
        if data.get("type") == "content_block_delta" and data["delta"]["type"] == "text_delta"
    )
