"""Truth read 4, D2 and D3: when each unusable credential fails, and what
WorkloadIdentityError covers. Only a named profile's config is read when the client is
created; its credentials file, a token file and any token request wait for the first
request (the `with` line)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import anthropic
import pytest

from streamdocs import environment
from streamdocs.emulator import Emulator
from streamdocs.emulator.canned import REQUEST
from tests.sdk_claims import never_says, says

PAGE = "reference/exceptions.md"
FEDERATION = {
    "ANTHROPIC_FEDERATION_RULE_ID": "fdrl_4d",
    "ANTHROPIC_ORGANIZATION_ID": "00000000-0000-4000-8000-000000000000",
}


def _use(monkeypatch, home: Path, values: dict[str, str]) -> None:
    environment.apply(environment.overlay(values, home), monkeypatch.setenv, monkeypatch.delenv)


def _login_profile(home: Path, url: str, credentials: dict | None) -> dict[str, str]:
    """A `user_oauth` profile (an interactive login) named `work`, refreshing at `url`."""
    config = home / "anthropic"
    (config / "configs").mkdir(parents=True)
    auth = {"type": "user_oauth", "client_id": "cid", "credentials_path": f"{home}/creds.json"}
    profile = {"authentication": auth, "base_url": url}
    (config / "configs" / "work.json").write_text(json.dumps(profile))
    if credentials is not None:
        (home / "creds.json").write_text(json.dumps(credentials))
    for path in (config / "configs" / "work.json", home / "creds.json"):
        if path.exists():
            os.chmod(path, 0o600)
    return {"ANTHROPIC_CONFIG_DIR": str(config), "ANTHROPIC_PROFILE": "work"}


def _first_request(client: anthropic.Anthropic) -> None:
    with client.messages.stream(**REQUEST) as stream:
        stream.until_done()


EXPIRED = {"version": "1.0", "type": "oauth_token", "access_token": "old", "expires_at": 1}
CASES = {
    "a workload identity's token file is missing": (
        {**FEDERATION, "ANTHROPIC_IDENTITY_TOKEN_FILE": "missing.jwt"},
        None,
        anthropic.IdentityTokenFileError,
    ),
    "a workload identity's token exchange is refused": (
        {**FEDERATION, "ANTHROPIC_IDENTITY_TOKEN": "a.jwt.token"},
        None,
        anthropic.WorkloadIdentityError,
    ),
    "a login profile's credentials file is missing": (None, None, anthropic.CredentialsError),
    "a login profile's refresh is refused": (
        None,
        {**EXPIRED, "refresh_token": "r"},
        anthropic.WorkloadIdentityError,
    ),
    "a login profile's credentials have no refresh_token": (
        None,
        EXPIRED,
        anthropic.WorkloadIdentityError,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_rest_fails_at_the_first_request(case, monkeypatch, tmp_path):
    env, credentials, raised = CASES[case]
    with Emulator() as emulator:
        if env is None:
            env = _login_profile(tmp_path, emulator.url, credentials)
        _use(monkeypatch, tmp_path, env)
        monkeypatch.chdir(tmp_path)
        client = anthropic.Anthropic(base_url=emulator.url, max_retries=0)  # no complaint
        with pytest.raises(raised) as caught:
            _first_request(client)
    assert isinstance(caught.value, anthropic.AnthropicError)
    if raised is anthropic.WorkloadIdentityError:
        assert not isinstance(caught.value, anthropic.CredentialsError)


def test_the_exceptions_page_names_each_moment():
    never_says(PAGE, "missing credentials fail in one of two ways", "a profile or credentials file")
    never_says(PAGE, "The workload identity token exchange (`POST /v1/oauth/token`) failed.")
    says(
        PAGE,
        "raises `anthropic.CredentialsError` (an `AnthropicError`) when the client is created",
        "the rest waits for the first request",
        "`IdentityTokenFileError`, a `CredentialsError`",
        "`WorkloadIdentityError`, an `AnthropicError` but not a `CredentialsError`",
        "a `user_oauth` profile's refresh",
    )
