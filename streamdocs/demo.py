"""The relay guide's app (snippets/relay_app.py), served with the emulator behind it.

`make demo` runs `python -m streamdocs.demo`: open http://127.0.0.1:8001 and watch an
answer stream in, at the pace a real one would, with no API key. The tests start the
same app the same way (`relay_app`, `streamdocs.loopback.AppServer`), on a free port.
"""

from __future__ import annotations

import argparse
import runpy
from typing import Any

import uvicorn

from streamdocs import environment
from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS

APP = SNIPPETS / "relay_app.py"
KEY = "sk-ant-relay-demo"  # the emulator takes any sk-ant- key; no real key is needed
# The relay's callers: one user, "demo", and the token the page asks for (loopback only).
USER, TOKEN = "demo", "demo-reader-token"
TOKENS = f"{USER}:{TOKEN}"
PACE = 0.08  # seconds between events: a few words at a time, about as fast as a real answer


def api_env(base_url: str, tokens: str = TOKENS):
    """Only the key and base URL pointing at an emulator, and the relay's callers, for the
    block (the one environment isolation, streamdocs.environment)."""
    return environment.isolated(
        ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=base_url, RELAY_TOKENS=tokens
    )


def relay_app_module() -> dict[str, Any]:
    """A fresh import of the snippet (its client reads the environment when imported)."""
    return runpy.run_path(str(APP), run_name=APP.stem)


def relay_app() -> Any:
    return relay_app_module()["app"]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m streamdocs.demo", description="The relay app, with the emulator."
    )
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--delay", type=float, default=PACE, help="seconds between events")
    args = parser.parse_args()
    with Emulator(delay=args.delay) as emulator, api_env(emulator.url):
        print(f"The relay app: http://127.0.0.1:{args.port} (answers from the emulator)")
        print(f"Access token: {TOKEN}")
        uvicorn.run(relay_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
