"""Truth read 4, reader A: page claims no sample output holds. Each test pins the sentence
the read settled (the finding named), so a rewrite cannot bring the old claim back."""

from __future__ import annotations

import re
import typing

import anthropic
import pytest

from streamdocs import sdk_internals
from streamdocs.emulator import models
from streamdocs.emulator.canned import REQUEST, client_serving
from tests.sdk_claims import never_says, page_text, says


def test_the_nonstreaming_check_is_the_sdks_and_needs_the_default_timeout():
    """A7: the timeout sentence qualifies the SDK's check, not Anthropic's deprecations page;
    a client whose timeout equals the default still refuses."""
    big = {**REQUEST, "max_tokens": 64_000}
    client = client_serving((200, {}), timeout=sdk_internals.DEFAULT_TIMEOUT)
    with pytest.raises(ValueError, match="Streaming is required"):
        client.messages.create(**big)
    page = "when-not-to-stream.md"
    never_says(page, "page lists what has been retired. It only does so when")
    says(page, "The SDK checks only when you set no timeout", "a timeout other than the default")
    text = page_text(page)
    assert text.index("The SDK checks only when") < text.index("it raises `ValueError`")


def test_a_long_generation_can_be_quiet_while_the_model_thinks():
    """A8: with the thoughts omitted, the samples' model can send nothing but pings until
    the answer starts; no Anthropic page says for how long."""
    sonnet = models.facts("claude-sonnet-5-5")
    assert sonnet is not None
    assert (sonnet.thinking_default, sonnet.display_default) == ("adaptive", "omitted")
    never_says("concepts.md", "don't hit idle timeouts")
    says(
        "concepts.md",
        "while the thoughts are omitted (the default on `claude-sonnet-5-5`)",
        "no Anthropic page says how long that lasts",
    )


def test_the_sonnet_4_5_retirement_date_is_cited():
    """A11: the SDK dropped the id; the date comes from Anthropic's page for it, linked."""
    assert "claude-sonnet-4-5" not in typing.get_args(typing.get_args(anthropic.types.Model)[0])
    text = page_text("versions.md")
    assert re.search(
        r"\[Claude Sonnet 4\.5\]\(https://platform\.claude\.com/docs/en/models/sonnet-4-5/overview\)"
        r" page gives its retirement as November 30, 2026",
        text,
    ), "versions.md no longer cites the Sonnet 4.5 retirement date"
    never_says("versions.md", "Anthropic retired it on 30 November 2026")
