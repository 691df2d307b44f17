"""The relay guide's apps, served with the emulator behind them (no API key).

`make demo` runs `python -m streamdocs.demo`: the simple relay (snippets/relay_app.py)
on http://127.0.0.1:8001; watch an answer stream in at the pace a real one would. The
tests start the same app the same way (`relay_app`, `streamdocs.loopback.AppServer`).

`make demo-scale` runs `python -m streamdocs.demo --scale`: the resumable relay
(snippets/relay_resumable.py) as its page runs it, Redis, two workers and nginx
(`streamdocs.relay_stack.Stack`, as its tests start it), on http://127.0.0.1:8002; then
type a command to restart a worker or nginx, or cut the page's connection, mid-answer.
"""

from __future__ import annotations

import argparse
import runpy
import sys
import tempfile
from pathlib import Path
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


COMMANDS = """Type a command and Enter, mid-answer, then watch the page pick the answer up:
  1 or 2  restart that worker (it finishes its answers into Redis; readers move on)
  n       restart nginx
  c       cut every connection to the page (as a phone losing its network)
  k1, k2  kill that worker (its answers end with an error after what was stored)
  q       quit"""


def scale(port: int, delay: float, commands=sys.stdin) -> None:
    """The resumable relay behind nginx, with Redis and two workers, until `q`."""
    from streamdocs import relay_stack

    with tempfile.TemporaryDirectory() as scratch, Emulator(delay=delay) as emulator:
        env = {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": emulator.url}
        env["RELAY_TOKENS"] = TOKENS
        with relay_stack.Stack(Path(scratch), env, persist=True, port=port) as stack:
            print(f"The resumable relay: {stack.url} (answers from the emulator)")
            print(f"Access token: {TOKEN}")
            print(COMMANDS, flush=True)
            for line in commands:
                command = line.strip()
                if command in ("1", "2"):
                    stack.workers[int(command) - 1].restart()
                elif command in ("k1", "k2"):
                    stack.workers[int(command[1]) - 1].kill()
                    stack.workers[int(command[1]) - 1].start().wait_ready()
                elif command == "n":
                    stack.nginx.restart()
                elif command == "c":
                    print(f"cut {stack.proxy.cut()} connections", flush=True)
                elif command == "q":
                    return
                else:
                    print(COMMANDS, flush=True)
                    continue
                print(f"done: {command}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m streamdocs.demo", description="The relay apps, with the emulator."
    )
    parser.add_argument("--scale", action="store_true", help="the resumable relay, 2 workers")
    parser.add_argument("--port", type=int, default=None, help="8001 (8002 with --scale)")
    parser.add_argument("--delay", type=float, default=PACE, help="seconds between events")
    args = parser.parse_args()
    if args.scale:
        scale(args.port or 8002, args.delay)
        return
    args.port = args.port or 8001
    with Emulator(delay=args.delay) as emulator, api_env(emulator.url):
        print(f"The relay app: http://127.0.0.1:{args.port} (answers from the emulator)")
        print(f"Access token: {TOKEN}")
        uvicorn.run(relay_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
