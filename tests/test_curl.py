"""The curl sample, run verbatim by real curl against a loopback replay of its cassette.

curl believes it talks to https://api.anthropic.com: a test-only .curlrc sends
the connection to a local HTTPS relay (throwaway certificate authority), and
the relay (streamdocs/recording/relay.py) passes the request through vcrpy, which
answers from the cassette, or records it through the emulator or the live API under
`make record`.
"""

from __future__ import annotations

import os

import pytest

from streamdocs import sdk_internals, tools
from streamdocs.loopback import api_certificate, curlrc
from streamdocs.paths import OUTPUTS, SNIPPETS, rel
from streamdocs.recording.relay import relaying
from streamdocs.samples import runner

NAME = "curl_stream"
SNIPPET = SNIPPETS / f"{NAME}.sh"


@pytest.fixture
def relay(recording, tmp_path):
    context, ca_file = api_certificate(tmp_path)
    with relaying(recording, NAME, tls=context) as (relay, server):
        (tmp_path / ".curlrc").write_text(curlrc(server.tls_port, ca_file))
        yield relay


@pytest.mark.vcr
@pytest.mark.default_cassette(NAME)
def test_curl_sample_runs_verbatim(relay, vcr, recording, sample_env, tmp_path, request):
    curl = tools.find("curl")
    assert curl, tools.hint([tools.TOOLS["curl"]])
    sample_env()
    env = {
        # The sample calls `curl`: the one found (CURL_PATH, else PATH) comes first.
        "PATH": os.path.dirname(curl) + os.pathsep + os.environ["PATH"],
        "HOME": str(tmp_path),
        "CURL_HOME": str(tmp_path),  # curl reads the test-only .curlrc from here
        "ANTHROPIC_API_KEY": os.environ["ANTHROPIC_API_KEY"],
    }
    with runner.misses_raise_at_once():
        result = runner.run_shell(SNIPPET, env)

    if relay.misses:
        pytest.fail(
            f"{rel(SNIPPET)} sent a request cassettes/{NAME}.yaml does not hold. "
            f"Re-record it with `make record NAME={NAME}`.\n\n"
            + runner.closest_match(relay.misses[0]),
            pytrace=False,
        )
    assert result.exit_code == 0, f"curl failed ({result.exit_code}): {result.output}"
    [sent] = relay.received
    assert sent["path"] == "/v1/messages"
    assert sent["headers"]["anthropic-version"] == sdk_internals.API_VERSION, (
        f"{rel(SNIPPET)} sends anthropic-version {sent['headers']['anthropic-version']}, "
        f"the pinned SDK sends {sdk_internals.API_VERSION}"
    )
    if recording is None:
        assert vcr.all_played, f"cassettes/{NAME}.yaml holds requests curl no longer sends"
    update = request.config.getoption("--update-outputs") or recording is not None
    runner.check_output(NAME, SNIPPET, OUTPUTS / f"{NAME}.txt", result.stdout, update)
