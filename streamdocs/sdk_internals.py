"""The one module that reaches into the SDK's private parts: the facts the site reads from
them, and the patches that make live test runs fast.

Read (the site states these numbers, so they come from the SDK, not from memory):
- `anthropic._constants`: ANTHROPIC_API_VERSION (the header every request sends),
  DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES, MODEL_NONSTREAMING_TOKENS.
- `anthropic._error_classes.ERROR_CLASSES`: which class each (status, error type) raises.
- `anthropic._streaming.Stream.__stream__`'s source: which SSE events the decoder skips
  or raises on without a model for them (`ping`, `error`).
- `anthropic._client`'s source: the ANTHROPIC_* variables the client reads.

Patched (tests only, through pytest's monkeypatch; `fast_sdk` in tests/conftest.py):
retry back-off, the default read timeout and the TLS context, each below with its why.

An SDK bump that renames one of these fails here, in one place.
"""

from __future__ import annotations

import functools
import inspect

import anthropic._base_client
import anthropic._client
import anthropic._streaming
import httpcore2
import httpx
import httpx2
from anthropic._constants import ANTHROPIC_API_VERSION as API_VERSION
from anthropic._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MODEL_NONSTREAMING_TOKENS
from anthropic._error_classes import ERROR_CLASSES

__all__ = [
    "API_VERSION",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ERROR_CLASSES",
    "MODEL_NONSTREAMING_TOKENS",
    "client_source",
    "stream_decoder_source",
]


def stream_decoder_source() -> str:
    """The source of `Stream.__stream__`, the loop that turns SSE events into models."""
    return inspect.getsource(anthropic._streaming.Stream.__stream__)


def client_source() -> str:
    """The source of `anthropic/_client.py`, where the client reads its environment."""
    return inspect.getsource(anthropic._client)


# --- patches for live runs ----------------------------------------------------------------

# one per process, shared by every test that asks for it (see reuse_tls_context)
shared_tls_context = functools.cache(httpcore2.default_ssl_context)


def no_retry_wait(monkeypatch) -> None:
    """Retries happen as in real use, without the back-off or `retry-after` sleep
    (`BaseClient._calculate_retry_timeout`): replayed and emulated 429/529s need no wait."""
    monkeypatch.setattr(
        anthropic._base_client.BaseClient, "_calculate_retry_timeout", lambda *a, **k: 0.0
    )


def short_default_read_timeout(monkeypatch, seconds: float) -> None:
    """Clients created without a timeout get `read=seconds` instead of 600 s
    (`_base_client.DEFAULT_TIMEOUT`), so a stalled stream times out in a test's time.
    A sample that sets its own timeout keeps it."""
    timeout = httpx2.Timeout(seconds, connect=5.0)
    monkeypatch.setattr(anthropic._base_client, "DEFAULT_TIMEOUT", timeout)


def reuse_tls_context(monkeypatch) -> None:
    """Every new client shares one TLS context instead of loading the CA bundle again
    (`httpcore2.default_ssl_context`, ~30 ms a client): a matrix cell creates a client
    per run. Nothing here connects over TLS to anything but loopback."""
    monkeypatch.setattr(httpcore2, "default_ssl_context", shared_tls_context)


def cap_read_timeouts(monkeypatch, seconds: float) -> None:
    """A read timeout a sample sets itself (`anthropic.Timeout(..., read=60)`, an
    `httpx.Timeout` without the SDK) is cut to `seconds`, so the generated faults can stall
    past it in test time (`make fuzz --real-timeouts` keeps them as written)."""
    for library in (httpx2, httpx):
        original = library.Timeout.__init__

        def init(self, *args, _original=original, **kwargs):
            _original(self, *args, **kwargs)
            if self.read is not None and self.read > seconds:
                self.read = seconds

        monkeypatch.setattr(library.Timeout, "__init__", init)


# A stall is noticed after this long by clients without their own timeout (see `fast`).
FAST_READ_TIMEOUT = 1.0


def fast(monkeypatch) -> None:
    """For runs against the emulator's failure shapes: retries without their sleep, a
    stall noticed after 1 s (clients without their own timeout), one TLS context.

    The worker pool's runs (the answer matrix, the generated faults) replace the 1 s with
    each job's own: 10 s where no stall is meant, and a longer silence where one is, since
    on a loaded two-core machine a healthy stream's next event once came more than 1 s
    late. The paced runs wait 10 s too; the fault tests keep 1 s against 2 s stalls."""
    no_retry_wait(monkeypatch)
    short_default_read_timeout(monkeypatch, FAST_READ_TIMEOUT)
    reuse_tls_context(monkeypatch)
