"""Truth read 4, reader B (B4): the "without the SDK" sample reads one credential, the
API key, and says so when it is missing, where a reader whose SDK works through another
source (setup.md lists them) would otherwise get a KeyError traceback."""

from __future__ import annotations

import pytest

from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner
from tests.sdk_claims import says


@pytest.mark.parametrize(
    "others",
    [{}, {"ANTHROPIC_AUTH_TOKEN": "sk-ant-token"}, {"ANTHROPIC_PROFILE": "work"}],
    ids=["nothing", "auth_token", "profile"],
)
def test_without_the_key_the_sample_stops_with_one_line(sample_env, others):
    # Port 9 (discard) on loopback: a request sent anyway would crash, not pass.
    extra = {"ANTHROPIC_API_KEY": None, "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    sample_env(None, {**extra, **others})
    result = runner.run_script(SNIPPETS / "raw_http.py", catch=True)
    assert result.crash is None, result.crash
    assert result.exit_code == 1
    assert result.output.strip() == "Set ANTHROPIC_API_KEY: the only credential read here."
    says("guides/without-sdk.md", "Without the SDK, nothing looks for credentials")
