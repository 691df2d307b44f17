"""The retries sample on the errors page, when the rate limit outlasts the SDK's retries
(C11): it says so and exits non-zero, so that a script running it does not see success."""

from __future__ import annotations

import yaml

from streamdocs import sdk_internals
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner

STILL_LIMITED = {
    "description": "Every attempt gets 429.",
    "error": {"status": 429, "type": "rate_limit_error", "message": "Rate limited."},
}


def test_still_rate_limited_after_the_retries_exits_non_zero(tmp_path, emulator_env, monkeypatch):
    (tmp_path / "still_limited.yaml").write_text(yaml.safe_dump(STILL_LIMITED))
    sdk_internals.no_retry_wait(monkeypatch)
    sdk_internals.reuse_tls_context(monkeypatch)
    with Emulator(scenario_dir=tmp_path) as emulator:
        emulator_env(emulator)
        with emulator.answering("still_limited"):
            result = runner.run_script(SNIPPETS / "retries.py", catch=True)
        attempts = len(emulator.requests)
    assert attempts == 5, f"max_retries=4 is 5 attempts, the emulator saw {attempts}"
    assert result.exit_code != 0 and not result.crash, result.output
    assert "Rate limited" in result.output, result.output
