"""The loopback relay in front of a cassette, for samples that run outside this process.

A Python sample's requests are answered by vcrpy inside the test's process. curl and
Node cannot be patched that way, so they are pointed at this relay instead: it forwards
each request with httpx2, and vcrpy (active in the test) answers that from the cassette,
or, under `make record`, sends it on to the emulator or the live API and records it.
Same cassette format, same body matching, same provenance as every other sample.

A request the cassette does not hold is answered 400 with `x-should-retry: false` (the
SDKs would retry a 5xx) and a body naming `make record NAME=...`; the test then fails
on `misses`, whatever the sample printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Iterator

import httpx2
from aiohttp import web

from streamdocs.loopback import LoopbackServer
from streamdocs.samples.runner import CassetteMiss

from . import cassettes

# Sent on: what the API reads (credentials, version, betas) and the SDK's retry count,
# which the emulator numbers attempts by. Everything else stays at the relay.
FORWARDED = (
    "x-api-key",
    "authorization",
    "anthropic-version",
    "anthropic-beta",
    "content-type",
    "accept",
    "x-stainless-retry-count",
)
# Sent back: the headers a cassette keeps (cassettes.py), nothing about the transfer.
RETURNED = (*cassettes.RESPONSE_HEADERS_KEPT,)


class Relay:
    """Forwards to `target`, where vcrpy answers (or records). `received`: what arrived;
    `misses`: requests the cassette could not answer (runner.CassetteMiss)."""

    def __init__(self, target: str, name: str):
        self.target = target
        self.name = name  # the case, for the message a miss answers with
        self.received: list[dict] = []
        self.misses: list[BaseException] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self.forward)
        return app

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        # as the client spelled them: httpx2 then keeps its own defaults' order (a cassette
        # lists the headers in the order they were sent)
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED}
        self.received.append({"path": request.path, "headers": headers, "body": body})
        try:
            # vcrpy intercepts the synchronous client; a worker thread keeps the loop free
            response = await asyncio.to_thread(
                self._send, request.method, request.path_qs, body, headers
            )
        except CassetteMiss as miss:
            self.misses.append(miss)
            error = {
                "type": "error",
                "error": {
                    "type": "invalid_request_error",
                    "message": "the cassette holds no such request: "
                    f"`make record NAME={self.name}`",
                },
            }
            return web.json_response(error, status=400, headers={"x-should-retry": "false"})
        kept = {
            name: value
            for name, value in response.headers.items()
            if name.lower() in RETURNED or name.lower().startswith("anthropic-ratelimit-")
        }
        return web.Response(status=response.status_code, body=response.content, headers=kept)

    def _send(self, method: str, path: str, body: bytes, headers: dict) -> httpx2.Response:
        with httpx2.Client(timeout=30) as client:
            return client.request(method, self.target + path, content=body, headers=headers)


def target(recording, scenario: str | None = None) -> str:
    """Where the relay sends requests: nowhere real when replaying (vcrpy answers for
    the API), the emulator (forcing `scenario`) or the live API when recording."""
    if recording is None:
        return cassettes.API_ORIGIN
    if recording.emulator is not None:
        return recording.emulator.base_url(scenario)
    return recording.api_url or cassettes.API_ORIGIN


@contextlib.contextmanager
def relaying(
    recording, name: str, scenario: str | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[tuple[Relay, LoopbackServer]]:
    relay = Relay(target(recording, scenario), name)
    with LoopbackServer(relay.app(), tls=tls) as server:
        yield relay, server
