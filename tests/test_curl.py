"""The curl sample, run verbatim by real curl against a loopback replay of its cassette.

curl believes it talks to https://api.anthropic.com: a test-only .curlrc sends
the connection to a local HTTPS relay (throwaway certificate authority), and
the relay passes the request through vcrpy, which answers from the cassette,
or records it through the emulator or the live API under `make record`.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anthropic._constants
import httpx2
import pytest
import trustme

from streamdocs import tools
from streamdocs.paths import OUTPUTS, SNIPPETS, rel
from streamdocs.samples import runner

NAME = "curl_stream"
SNIPPET = SNIPPETS / f"{NAME}.sh"
FORWARDED = ("x-api-key", "anthropic-version", "content-type")


class Relay(ThreadingHTTPServer):
    """A loopback HTTPS server that forwards each request to `target` with httpx2."""

    def __init__(self, target: str):
        super().__init__(("127.0.0.1", 0), RelayHandler)
        self.target = target
        self.received: list[dict] = []
        self.misses: list[BaseException] = []


class RelayHandler(BaseHTTPRequestHandler):
    server: Relay

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        headers = {name: self.headers[name] for name in FORWARDED if name in self.headers}
        self.server.received.append({"path": self.path, "headers": headers, "body": body})
        try:
            url = self.server.target + self.path
            with httpx2.Client(timeout=30) as client:
                response = client.post(url, content=body, headers=headers)
        except runner.CassetteMiss as miss:
            self.server.misses.append(miss)
            self.send_error(502, "no recorded response for this request")
            return
        self.send_response(response.status_code)
        self.send_header("content-type", response.headers.get("content-type", "text/plain"))
        self.send_header("content-length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture
def relay(recording, tmp_path):
    if recording is None:
        target = "https://api.anthropic.com"  # answered by vcrpy from the cassette
    elif recording.emulator is not None:
        target = recording.emulator.base_url()
    else:  # live: recorded by vcrpy on the way through
        target = recording.api_url or "https://api.anthropic.com"
    authority = trustme.CA()
    server = Relay(target)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("api.anthropic.com").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    (tmp_path / ".curlrc").write_text(
        f'connect-to = "api.anthropic.com:443:127.0.0.1:{server.server_address[1]}"\n'
        f'cacert = "{tmp_path / "ca.pem"}"\n'
    )
    yield server
    server.shutdown()
    server.server_close()


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
        result = subprocess.run(
            ["bash", str(SNIPPET)], env=env, capture_output=True, text=True, timeout=30
        )

    if relay.misses:
        pytest.fail(
            f"{rel(SNIPPET)} sent a request cassettes/{NAME}.yaml does not hold. "
            f"Re-record it with `make record`.\n\n{runner.closest_match(relay.misses[0])}",
            pytrace=False,
        )
    assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr}"
    [sent] = relay.received
    assert sent["path"] == "/v1/messages"
    assert sent["headers"]["anthropic-version"] == anthropic._constants.ANTHROPIC_API_VERSION, (
        f"{rel(SNIPPET)} sends anthropic-version {sent['headers']['anthropic-version']}, "
        f"the pinned SDK sends {anthropic._constants.ANTHROPIC_API_VERSION}"
    )
    if recording is None:
        assert vcr.all_played, f"cassettes/{NAME}.yaml holds requests curl no longer sends"
    update = request.config.getoption("--update-outputs") or recording is not None
    runner.check_output(NAME, SNIPPET, OUTPUTS / f"{NAME}.txt", result.stdout, update)
