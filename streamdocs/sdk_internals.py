"""The one module of the test machinery that reaches into the SDK's private parts.

Each function says which private name it touches and why; an SDK bump that renames one
fails here, in one place.
"""

from __future__ import annotations

import functools

import anthropic._base_client
import httpcore2
import httpx2
import pytest

# one per process, shared by every test that asks for it (see reuse_tls_context)
_shared_tls_context = functools.cache(httpcore2.default_ssl_context)


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
    monkeypatch.setattr(httpcore2, "default_ssl_context", _shared_tls_context)


@pytest.fixture
def fast_sdk(monkeypatch):
    """For runs against the emulator's failure shapes: retries without their sleep, a
    stall noticed after 0.3 s (clients without their own timeout), one TLS context. The
    answer matrix and the live guide tests use this, and nothing else patches the SDK."""
    no_retry_wait(monkeypatch)
    short_default_read_timeout(monkeypatch, 0.3)
    reuse_tls_context(monkeypatch)
