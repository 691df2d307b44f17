"""Recording and replay: where a recording's requests go (`Recording`), the cassette
format (cassettes.py), the live re-record (live.py) and the model swap it can record
with (model_swap.py)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import version

EMULATOR_KEY = "sk-ant-emulator-recording"  # what the emulator accepts; no real key


class Recording:
    """Where requests go while recording: the live API with a real key, else the emulator.

    With a key, LIVE_API_URL (default: the SDK's own, the real API) is where requests
    go, so the live path can be run against the emulator standing in for the API,
    and RECORD_MODEL, if set, answers every request in place of the sample's model
    (streamdocs/recording/model_swap.py).
    """

    def __init__(
        self,
        emulator=None,
        live_key: str | None = None,
        api_url: str | None = None,
        model: str | None = None,
    ):
        self.emulator = emulator
        self.live_key = live_key
        self.api_url = api_url
        self.model = model

    @property
    def source(self) -> str:
        if not self.live_key:
            return "local emulator"
        if self.model:
            return f"live API ({self.model} answering in place of the model the sample names)"
        return "live API"

    def provenance(self, typescript: bool = False) -> dict:
        """Where, when and with which SDK: a TypeScript sample's cassette names the npm
        SDK and the Node it ran on (streamdocs/node.py) instead of the Python SDK."""
        recorded = {"source": self.source, "recorded_at": datetime.now(UTC).strftime("%Y-%m-%d")}
        if typescript:
            from streamdocs import node

            return {**recorded, "typescript_sdk": node.sdk_version(), "node": node.version()}
        return {**recorded, "anthropic_sdk": version("anthropic")}

    def env(self, scenario: str | None) -> dict[str, str]:
        if self.live_key:
            env = {"ANTHROPIC_API_KEY": self.live_key}
            if self.api_url:
                env["ANTHROPIC_BASE_URL"] = self.api_url
            return env
        self.emulator.begin_run(None)  # a cold prompt cache: recordings do not depend on order
        return {
            "ANTHROPIC_API_KEY": EMULATOR_KEY,
            "ANTHROPIC_BASE_URL": self.emulator.base_url(scenario),
        }


@contextlib.contextmanager
def session() -> Iterator[Recording]:
    """One `make record`: the live API with ANTHROPIC_API_KEY (LIVE_API_URL and
    RECORD_MODEL as `Recording` says), else a fresh emulator. At the end, every cassette
    whose exchange did not change is put back byte for byte (its old date too)."""
    from streamdocs.emulator import Emulator
    from streamdocs.paths import CASSETTES

    from . import cassettes, model_swap

    before = {path: path.read_text(encoding="utf-8") for path in CASSETTES.rglob("*.yaml")}
    live_key = os.environ.get("ANTHROPIC_API_KEY")
    try:
        if live_key:
            live = Recording(
                live_key=live_key,
                api_url=os.environ.get("LIVE_API_URL") or None,
                model=os.environ.get("RECORD_MODEL") or None,
            )
            with model_swap.swapped_model(live.model) if live.model else contextlib.nullcontext():
                yield live
        else:
            with Emulator() as emulator:
                yield Recording(emulator=emulator)
    finally:
        cassettes.keep_unchanged(before)
