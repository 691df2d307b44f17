"""The relay guide's app (snippets/relay_app.py), served with the emulator behind it.

`make demo` runs `python -m streamdocs.demo`: open http://127.0.0.1:8001 and watch an
answer stream in, at the pace a real one would, with no API key. The tests start the
same app the same way (`relay_app`, `AppServer`), on a free port.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import runpy
import socket
import threading
from collections.abc import Iterator
from typing import Any

import uvicorn

from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS

APP = SNIPPETS / "relay_app.py"
KEY = "sk-ant-relay-demo"  # the emulator takes any sk-ant- key; no real key is needed
PACE = 0.08  # seconds between events: a few words at a time, about as fast as a real answer


@contextlib.contextmanager
def api_env(base_url: str) -> Iterator[None]:
    """ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL pointing at an emulator, for the block."""
    names = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")
    before = {name: os.environ.get(name) for name in names}
    os.environ.update({"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": base_url})
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def relay_app() -> Any:
    """A fresh import of the snippet (its client reads the environment when imported)."""
    return runpy.run_path(str(APP), run_name=APP.stem)["app"]


class AppServer:
    """An ASGI app under uvicorn on 127.0.0.1, in a background thread; port 0: a free one."""

    def __init__(self, app: Any, port: int = 0) -> None:
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m streamdocs.demo", description="The relay app, with the emulator."
    )
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--delay", type=float, default=PACE, help="seconds between events")
    args = parser.parse_args()
    with Emulator(delay=args.delay) as emulator, api_env(emulator.url):
        print(f"The relay app: http://127.0.0.1:{args.port} (answers from the emulator)")
        uvicorn.run(relay_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
