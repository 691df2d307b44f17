"""Where the SDK looks for a credential, and what happens when it finds none."""

from __future__ import annotations

import re

import anthropic
import httpx2
import pytest

from streamdocs import environment, sdk_internals
from streamdocs.emulator.canned import REQUEST
from streamdocs.paths import SNIPPETS
from tests.sdk_claims import page_text, says


def test_no_credential_is_a_plain_type_error_at_the_first_request(monkeypatch, tmp_path):
    """Finding 10, 32: with nothing configured the client is created without complaint;
    the request raises a TypeError, which is no AnthropicError."""
    changes = environment.overlay({}, tmp_path)
    environment.apply(changes, monkeypatch.setenv, monkeypatch.delenv)
    client = anthropic.Anthropic(http_client=httpx2.Client(transport=httpx2.MockTransport(
        lambda request: httpx2.Response(500)
    )))  # fmt: skip
    with pytest.raises(TypeError, match="Could not resolve authentication method") as caught:
        with client.messages.stream(**REQUEST):
            pass
    assert not isinstance(caught.value, anthropic.AnthropicError)
    says("reference/exceptions.md", "Could not resolve authentication method")
    says("complete-example.md", "Could not resolve authentication method")
    says("setup.md", "`ANTHROPIC_AUTH_TOKEN`")


def test_setup_names_credential_sources_the_sdk_reads():
    """Finding 32: every ANTHROPIC_* variable setup.md names is one the SDK reads."""
    source = sdk_internals.client_source()
    named = set(re.findall(r"ANTHROPIC_[A-Z_]+", page_text("setup.md")))
    assert {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE"} <= named
    unknown = [name for name in sorted(named) if name not in source]
    assert not unknown, f"docs/setup.md names {unknown}, which anthropic/_client.py never reads"
    sample = (SNIPPETS / "check_setup.py").read_text(encoding="utf-8")
    assert "os.environ" not in sample, "check_setup.py checks a variable: let the SDK look"


def test_a_named_profile_that_cannot_be_loaded_fails_when_the_client_is_built(
    monkeypatch, tmp_path
):
    """Issue 23: missing credentials fail two ways; the pages and samples name both."""
    changes = environment.overlay({"ANTHROPIC_PROFILE": "nowhere"}, tmp_path)
    environment.apply(changes, monkeypatch.setenv, monkeypatch.delenv)
    with pytest.raises(anthropic.CredentialsError, match="nowhere"):
        anthropic.Anthropic()
    assert issubclass(anthropic.CredentialsError, anthropic.AnthropicError)
    says(
        "reference/exceptions.md",
        "raises `anthropic.CredentialsError` (an `AnthropicError`) when the client is created",
    )
    says("complete-example.md", "raises `anthropic.CredentialsError` when the client is built")
    for sample in ("complete_example.py", "check_setup.py"):
        source = (SNIPPETS / sample).read_text(encoding="utf-8")
        assert re.search(r"except \(?[^:]*anthropic\.CredentialsError", source), sample
        assert "except TypeError" in source, f"snippets/{sample}"
