"""Serving on 127.0.0.1 from a background thread: loopback only, so nothing the tests
serve is reachable from another machine.

- `LoopbackServer`: an aiohttp app (the emulator, the built-site server, the curl test's
  HTTPS relay): `with LoopbackServer(app) as server: server.url`.
- `AppServer`: an ASGI app under uvicorn, as a reader runs the relay guide's app
  (`make demo`, the relay's browser and nginx tests).
- `api_certificate` and `curlrc`: curl always asks https://api.anthropic.com; a throwaway
  certificate authority and a ~/.curlrc send it to a loopback server instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"


def api_certificate(folder) -> tuple[ssl.SSLContext, str]:
    """A server TLS context for `api.anthropic.com`, and the CA file (written in `folder`)
    a client must trust for it."""
    import trustme

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("api.anthropic.com").configure_cert(context)
    ca_file = f"{folder}/ca.pem"
    authority.cert_pem.write_to_path(ca_file)
    return context, ca_file


def curlrc(tls_port: int, ca_file: str, headers: dict[str, str] | None = None) -> str:
    """A .curlrc that sends curl's api.anthropic.com requests to 127.0.0.1:tls_port."""
    lines = [
        f'connect-to = "api.anthropic.com:443:{HOST}:{tls_port}"',
        f'cacert = "{ca_file}"',
        *(f'header = "{name}: {value}"' for name, value in (headers or {}).items()),
    ]
    return "\n".join(lines) + "\n"


class LoopbackServer:
    """Serves `app` on HOST:`port` (0: any free port) and, with `tls`, also over HTTPS on
    `tls_port`. `stopping` is set when the server begins to stop, so a handler that
    waits (a stalled stream) can wake at once; `pause` sleeps unless that happens."""

    def __init__(
        self,
        app: web.Application,
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        shutdown_timeout: float = 1.0,
    ) -> None:
        self.app = app
        self.port = port
        self.tls = tls
        self.tls_port: int | None = None
        self.addresses: list[tuple[str, int]] = []
        self.shutdown_timeout = shutdown_timeout
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            raise self._startup_error
        return self

    def stop(self) -> None:
        if self.loop is not None and self.stopping is not None:
            self.loop.call_soon_threadsafe(self.stopping.set)
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the server stops."""
        if seconds > 0 and self.stopping is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stopping = asyncio.Event()
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=self.shutdown_timeout)
        try:
            await runner.setup()
            await web.TCPSite(runner, HOST, self.port).start()
            self.addresses = list(runner.addresses)
            self.port = self.addresses[0][1]
            if self.tls is not None:
                await web.TCPSite(runner, HOST, 0, ssl_context=self.tls).start()
                self.addresses = list(runner.addresses)
                self.tls_port = self.addresses[-1][1]
        except BaseException as err:  # noqa: BLE001 - handed to the starting thread
            self._startup_error = err
            self._ready.set()
            await runner.cleanup()
            return
        self._ready.set()
        await self.stopping.wait()
        await runner.cleanup()


class AppServer:
    """An ASGI app under uvicorn on 127.0.0.1, in a background thread; port 0: a free one."""

    def __init__(self, app: Any, port: int = 0) -> None:
        import uvicorn  # here: the emulator kit ships this module, and no uvicorn

        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((HOST, port))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> AppServer:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            threading.Event().wait(0.02)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()
