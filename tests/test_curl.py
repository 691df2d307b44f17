"""The curl sample, run verbatim by real curl against a loopback replay of its cassette.

curl believes it talks to https://api.anthropic.com: a test-only .curlrc sends
the connection to a local HTTPS relay (throwaway certificate authority), and
the relay passes the request through vcrpy, which answers from the cassette,
or records it through the emulator or the live API under `make record`.
"""

from __future__ import annotations

import asyncio
import os

import httpx2
import pytest
from aiohttp import web

from streamdocs import sdk_internals, tools
from streamdocs.loopback import LoopbackServer, api_certificate, curlrc
from streamdocs.paths import OUTPUTS, SNIPPETS, rel
from streamdocs.samples import runner

NAME = "curl_stream"
SNIPPET = SNIPPETS / f"{NAME}.sh"
FORWARDED = ("x-api-key", "anthropic-version", "content-type")


class Relay:
    """What the loopback HTTPS relay saw: it forwards each request to `target` with httpx2,
    where vcrpy answers it from the cassette (or records it)."""

    def __init__(self, target: str):
        self.target = target
        self.received: list[dict] = []
        self.misses: list[BaseException] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{path:.*}", self.forward)
        return app

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {name: request.headers[name] for name in FORWARDED if name in request.headers}
        self.received.append({"path": request.path, "headers": headers, "body": body})
        try:
            # vcrpy intercepts the synchronous client; a worker thread keeps the loop free
            response = await asyncio.to_thread(self._post, request.path, body, headers)
        except runner.CassetteMiss as miss:
            self.misses.append(miss)
            return web.Response(status=502, text="no recorded response for this request")
        content_type = response.headers.get("content-type", "text/plain")
        return web.Response(
            status=response.status_code,
            body=response.content,
            headers={"content-type": content_type},
        )

    def _post(self, path: str, body: bytes, headers: dict[str, str]) -> httpx2.Response:
        with httpx2.Client(timeout=30) as client:
            return client.post(self.target + path, content=body, headers=headers)


@pytest.fixture
def relay(recording, tmp_path):
    if recording is None:
        target = "https://api.anthropic.com"  # answered by vcrpy from the cassette
    elif recording.emulator is not None:
        target = recording.emulator.base_url()
    else:  # live: recorded by vcrpy on the way through
        target = recording.api_url or "https://api.anthropic.com"
    relay = Relay(target)
    context, ca_file = api_certificate(tmp_path)
    with LoopbackServer(relay.app(), tls=context) as server:
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
