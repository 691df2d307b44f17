"""Truth read 4, A4 and A5: unusable credentials fail in three ways, two of them only at the
first request, and a refused workload identity is not a `CredentialsError`; the setup check
turns each into one line, as the complete example does."""

from __future__ import annotations

import anthropic
import pytest

from streamdocs import environment, sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner
from tests.sdk_claims import never_says, says

WORKLOAD = {
    "ANTHROPIC_FEDERATION_RULE_ID": "fdrl_read4a",
    "ANTHROPIC_ORGANIZATION_ID": "00000000-0000-4000-8000-000000000000",
}
CALL = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "hi"}],
}


def _client_then_request(monkeypatch, tmp_path, env: dict[str, str], url: str):
    """Which exception comes, and whether the client was built before it."""
    changes = environment.overlay({**env, "ANTHROPIC_BASE_URL": url}, tmp_path)
    environment.apply(changes, monkeypatch.setenv, monkeypatch.delenv)
    built = False
    with pytest.raises(anthropic.AnthropicError) as raised:
        client = anthropic.Anthropic(max_retries=0)
        built = True
        client.messages.create(**CALL)
    return type(raised.value), built


def test_three_credential_failures_and_when_each_comes(monkeypatch, tmp_path):
    with Emulator() as emulator:  # it refuses every token exchange
        refused = _client_then_request(
            monkeypatch,
            tmp_path,
            {**WORKLOAD, "ANTHROPIC_IDENTITY_TOKEN": "a.jwt.token"},
            emulator.url,
        )
        no_file = _client_then_request(
            monkeypatch,
            tmp_path,
            {**WORKLOAD, "ANTHROPIC_IDENTITY_TOKEN_FILE": str(tmp_path / "none.jwt")},
            emulator.url,
        )
        profile = _client_then_request(
            monkeypatch, tmp_path, {"ANTHROPIC_PROFILE": "nowhere"}, emulator.url
        )
    assert refused == (anthropic.WorkloadIdentityError, True)
    assert not issubclass(anthropic.WorkloadIdentityError, anthropic.CredentialsError)
    assert no_file == (anthropic.IdentityTokenFileError, True)
    assert issubclass(anthropic.IdentityTokenFileError, anthropic.CredentialsError)
    assert profile == (anthropic.CredentialsError, False)
    never_says("complete-example.md", "fail in two ways")
    says(
        "complete-example.md",
        "raises `anthropic.WorkloadIdentityError`, which is not a `CredentialsError`, also at "
        "the first request",
        "its subclass `IdentityTokenFileError` at the first request",
    )


def test_the_setup_check_turns_a_refused_workload_identity_into_one_line(sample_env, monkeypatch):
    sdk_internals.reuse_tls_context(monkeypatch)
    with Emulator() as emulator:
        env = {**WORKLOAD, "ANTHROPIC_IDENTITY_TOKEN": "a.jwt.token", "ANTHROPIC_API_KEY": None}
        sample_env(None, {**env, "ANTHROPIC_BASE_URL": emulator.url})
        result = runner.run_script(SNIPPETS / "check_setup.py", catch=True)
    assert result.crash is None, result.output
    assert result.exit_code == 1
    [last] = result.output.strip().splitlines()[-1:]
    assert last.startswith("Your credentials could not be used: Token exchange failed"), last
    says("setup.md", "(`WorkloadIdentityError`, not a `CredentialsError`)")
    never_says("setup.md", "turns the SDK's `TypeError` into one line")
