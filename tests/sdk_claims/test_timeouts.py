"""The SDK's default timeouts and its refusal of long non-streaming requests."""

from __future__ import annotations

import re

import anthropic
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator.canned import REQUEST, client_serving
from streamdocs.paths import DOCS
from tests.sdk_claims import says

# --- timeouts (errors.md, complete-example.md) ------------------------------------------------


def test_default_timeouts_and_the_timeout_sample():
    """Finding 1, 29: the SDK already waits 600 s; the sample must set a *shorter* read."""
    assert (sdk_internals.DEFAULT_TIMEOUT.read, sdk_internals.DEFAULT_TIMEOUT.connect) == (
        600,
        5,
    ), (
        "the SDK's default timeouts changed: check docs/troubleshooting/errors.md, "
        "docs/complete-example.md and snippets/timeout_config.py"
    )
    sample = (DOCS.parent / "snippets" / "timeout_config.py").read_text(encoding="utf-8")
    (read,) = re.findall(r"\bread=([\d.]+)", sample)
    assert float(read) < sdk_internals.DEFAULT_TIMEOUT.read, (
        f"snippets/timeout_config.py sets read={read}, not shorter than the SDK's default "
        f"{sdk_internals.DEFAULT_TIMEOUT.read}: the page shows it as the way to notice a "
        "stall sooner"
    )
    says("troubleshooting/errors.md", "<!-- sdk:read-timeout -->", "watchdog")
    says("complete-example.md", "<!-- sdk:read-timeout -->")


# --- the non-streaming limit (index.md, when-not-to-stream.md) --------------------------------


def test_the_nonstreaming_refusal_needs_the_default_timeout():
    """Finding 12: refused only with no timeout on the request and the client's default."""
    big = {**REQUEST, "max_tokens": 64_000}
    with pytest.raises(ValueError, match="Streaming is required"):
        client_serving((200, {})).messages.create(**big)
    never = client_serving((500, {}))
    with pytest.raises(anthropic.InternalServerError):  # sent, not refused
        never.messages.create(**big, timeout=30)
    with pytest.raises(anthropic.InternalServerError):
        client_serving((500, {}), timeout=30).messages.create(**big)
    says("when-not-to-stream.md", "<!-- sdk:nonstreaming-max-tokens -->", "timeout")
    says("index.md", "<!-- sdk:nonstreaming-max-tokens -->")
