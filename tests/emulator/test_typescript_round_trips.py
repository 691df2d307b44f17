"""The emulator holds for a second client: every complete answer, read by the TypeScript SDK
(streamed through its helper and created without streaming, in one Node process), is the
same message the Python SDK reads from it; also with events split across chunks and with a
gzipped body, which Node's fetch reads differently from httpx."""

from __future__ import annotations

import json
import os
import subprocess

import anthropic

from streamdocs import node
from streamdocs.emulator import Emulator
from streamdocs.emulator.client import KEY, request_for
from streamdocs.emulator.scenarios import SCENARIO_DIR, load_scenarios, shapes
from streamdocs.paths import ROOT
from streamdocs.samples import runner

HARNESS = ROOT / "streamdocs" / "emulator" / "round_trip.mjs"
SCENARIOS = {**load_scenarios(SCENARIO_DIR), **shapes(load_scenarios())}
COMPLETE = sorted(
    name
    for name, s in SCENARIOS.items()
    if all(r.error is None and r.interrupt is None for r in s.replies)
)


def typescript_reads(runs: list[tuple[str, dict]], retries: int = 0) -> list[dict]:
    """What the TypeScript SDK makes of each (url, request): streamed, created, text."""
    env = node.env({"PATH": os.environ["PATH"], "ANTHROPIC_API_KEY": KEY, "HOME": "/nonexistent"})
    env["STREAMDOCS_NODE_PATCHES"] = "no-retry-wait"  # retries as usual, without the wait
    result = subprocess.run(
        [node.executable(), "--import", runner.NODE_PATCHES.as_uri(), str(HARNESS)],
        input=json.dumps([{"url": u, "request": r, "retries": retries} for u, r in runs]),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"the TypeScript SDK failed:\n{result.stderr}"
    return json.loads(result.stdout)


# An answer no helper reads: a tool input that is not JSON fails the stream when its block
# stops, in TypeScript with this error (Python's helper raises ValueError).
FAILS_IN_TYPESCRIPT = {"tool_use_invalid_json": "AnthropicError: Unexpected token"}


def plain(value):
    """A message as JSON, without the fields one SDK leaves out and the other sends as null."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def python_reads(url: str, request: dict) -> tuple[dict, dict, str]:
    with anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0) as client:
        with client.messages.stream(**request) as stream:
            text = "".join(stream.text_stream)
            streamed = stream.get_final_message()
        created = client.messages.create(**request)
    dump = {"mode": "json", "exclude_unset": True, "warnings": False}
    return streamed.model_dump(**dump), created.model_dump(**dump), text


def test_typescript_reads_the_same_message_as_python():
    """Python reads each answer once, whole; TypeScript reads it whole and split every
    7 bytes (the emulator's ids come from scenario, body and attempt: the same bytes)."""
    problems = []
    with Emulator() as whole, Emulator(chunk_size=7) as split:
        python = {}
        for name in COMPLETE:
            if name not in FAILS_IN_TYPESCRIPT:
                python[name] = python_reads(whole.base_url(name), request_for(SCENARIOS[name]))
        for emu, delivery in ((whole, "whole events"), (split, "events split every 7 bytes")):
            runs = [(emu.base_url(name), request_for(SCENARIOS[name])) for name in COMPLETE]
            for name, ts in zip(COMPLETE, typescript_reads(runs), strict=True):
                if name in FAILS_IN_TYPESCRIPT or "error" in ts:
                    if not ts.get("error", "").startswith(FAILS_IN_TYPESCRIPT.get(name, "-")):
                        problems.append(f"{name} ({delivery}): TypeScript read {ts}")
                    continue
                streamed, created, text = python[name]
                for how, mine, theirs in (("streamed", streamed, ts["streamed"]),
                                          ("created", created, ts["created"])):  # fmt: skip
                    if plain(mine) != plain(theirs):
                        problems.append(f"{name} ({how}, {delivery}):\n  Python     "
                                        f"{plain(mine)}\n  TypeScript {plain(theirs)}")  # fmt: skip
                if text != ts["text"]:
                    problems.append(f"{name} ({delivery}): text {ts['text']!r}, Python {text!r}")
    assert COMPLETE and not problems, "\n".join(problems)


def test_the_emulator_numbers_the_typescript_sdks_retries():
    """The SDK's retry-count header, which the emulator numbers attempts by, comes from
    the TypeScript SDK too: a 429, then the answer."""
    with Emulator() as emu:
        url = emu.base_url("rate_limit_then_success")
        [read] = typescript_reads([(url, request_for(SCENARIOS["text"]))], retries=2)
        counts = [r["headers"].get("x-stainless-retry-count") for r in emu.requests]
    assert "error" not in read, read
    assert counts[:2] == ["0", "1"], counts
