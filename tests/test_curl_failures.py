"""Truth read 4, A9: the curl sample, run verbatim by real curl, says when it fails: an HTTP
error exits 22 after its JSON body, a cut exits 18 with curl's message, as curl.md says
(curl alone with `--silent` exits 0 on an HTTP error and says nothing on a cut)."""

from __future__ import annotations

import os

import pytest

from streamdocs import tools
from streamdocs.emulator import Emulator
from streamdocs.emulator.variants import CASE_HEADER, Fault
from streamdocs.loopback import api_certificate, curlrc
from streamdocs.paths import SNIPPETS
from streamdocs.samples import runner
from streamdocs.samples.variants import recorded_body
from tests.sdk_claims import says

SAMPLE = SNIPPETS / "curl_stream.sh"


@pytest.fixture
def curl_at(tmp_path):
    """Run the sample against the emulator over HTTPS, as the answer matrix does."""
    curl = tools.find("curl")
    assert curl, tools.hint([tools.TOOLS["curl"]])
    context, ca_file = api_certificate(tmp_path)
    with Emulator(tls=context) as emulator:

        def run(key: str, case: Fault | None = None) -> runner.Run:
            headers = {}
            if case is not None:
                emulator.add_case("curl-4a", case)
                headers = {CASE_HEADER: "curl-4a"}
            (tmp_path / ".curlrc").write_text(curlrc(emulator.tls_port, ca_file, headers))
            env = {
                "PATH": os.path.dirname(curl) + os.pathsep + os.environ["PATH"],
                "HOME": str(tmp_path),
                "CURL_HOME": str(tmp_path),
                "ANTHROPIC_API_KEY": key,
            }
            return runner.run_shell(SAMPLE, env)

        yield run


def test_an_http_error_exits_22_after_its_body(curl_at):
    result = curl_at("not-a-key")  # the emulator answers 401
    assert result.exit_code == 22, result.output
    assert '"type":"authentication_error"' in result.stdout
    assert "curl: (22) The requested URL returned error: 401" in result.output
    says("guides/curl.md", "curl exits with status 22", "`curl: (22) The requested URL")


def test_a_cut_exits_18_with_curls_message(curl_at):
    body = recorded_body("curl_stream")
    result = curl_at("sk-ant-curl-4a", Fault(body, cut_at=len(body) // 2))
    assert result.exit_code == 18, result.output
    assert "curl: (18)" in result.output
    says("guides/curl.md", "`curl: (18) ...` and exits 18")
