"""Run the emulator by hand, from the project root:

python -m streamdocs.emulator --port 8765 [--delay 0.05] [--chunk-size 7]
"""

from __future__ import annotations

import argparse
import threading

from .server import Emulator


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m streamdocs.emulator", description="A local Messages API emulator."
    )
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between stream events")
    parser.add_argument("--chunk-size", type=int, default=None, help="write events in pieces")
    args = parser.parse_args()

    with Emulator(delay=args.delay, chunk_size=args.chunk_size, port=args.port) as emulator:
        print(emulator.url, flush=True)
        print(f"scenarios: {', '.join(emulator.scenarios)}", flush=True)
        print(f"force one with ANTHROPIC_BASE_URL={emulator.base_url('<name>')}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
