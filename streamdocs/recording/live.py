"""Re-record every cassette against the live API and report how its answers' shapes
differ from the emulator's: `python -m streamdocs.recording.live [--report FILE]`
(`make record-live`; `.github/workflows/live-rerecord.yml` runs it weekly).

- Without ANTHROPIC_API_KEY it records nothing and says so (exit 0).
- With it: notes the shape of every cassette as it is (recorded through the
  emulator), records them all again as `make record` does with a key (cases
  that force an emulator scenario, such as a 529 before a retry, are kept), with
  RECORD_MODEL answering in place of the samples' model, replays them, and
  writes a Markdown report: event order, fields per event, status codes and
  kept headers that differ between the old cassettes and the new ones.
- LIVE_API_URL sends the "live" requests elsewhere: the test suite points it at
  the emulator on loopback to run this end to end (tests/test_live_rerecord.py).

Scrubbing is the cassette format's: only allow-listed headers are kept, and
tests/test_secrets.py scans the result like any other cassette.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from streamdocs.paths import ROOT
from streamdocs.sse import json_events

RECORD = ["tests/test_samples.py", "tests/test_curl.py"]
SKIP_MESSAGE = (
    "ANTHROPIC_API_KEY is not set: the live re-record is skipped, nothing was recorded. "
    "Set it (in CI: the ANTHROPIC_API_KEY repository secret) to record against the live API."
)


# --- shapes -------------------------------------------------------------------------


def _fields(value, prefix: str = "") -> set[str]:
    """Every key path in a JSON value: `message.usage.input_tokens`, `content[].type`."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= _fields(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= _fields(item, f"{prefix}[]")
    return paths


def _events(text: str) -> list[tuple[str, dict]]:
    """(name, data) per server-sent event; the name carries the delta or block type."""
    events = []
    for name, payload in json_events(text):
        inner = payload.get("delta") or payload.get("content_block") or {}
        kind = inner.get("type") if isinstance(inner, dict) else None
        events.append((f"{name}/{kind}" if kind else name, payload))
    return events


def _collapsed(names: list[str]) -> list[str]:
    """Runs of one event become one entry: how many deltas a reply has is not its shape."""
    return [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]


def shape(cassette: dict) -> list[dict]:
    """What one cassette's answers look like, without their text or numbers."""
    shapes = []
    for interaction in cassette.get("interactions", []):
        response = interaction["response"]
        body = response.get("body", {})
        text = body.get("string", "") if isinstance(body, dict) else ""
        entry = {
            "status": response["status"]["code"],
            "headers": sorted(h.lower() for h in response.get("headers", {})),
        }
        if isinstance(text, str) and text.lstrip().startswith("{"):
            try:
                entry["fields"] = {"(JSON body)": sorted(_fields(json.loads(text)))}
            except ValueError:
                pass
        elif isinstance(text, str) and "event:" in text:
            events = _events(text)
            entry["events"] = _collapsed([name for name, _ in events])
            fields: dict[str, set[str]] = defaultdict(set)
            for name, payload in events:
                fields[name] |= _fields(payload)
            entry["fields"] = {name: sorted(paths) for name, paths in fields.items()}
        shapes.append(entry)
    return shapes


def shapes_of(folder: Path) -> dict[str, list[dict]]:
    return {
        path.stem: shape(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.yaml"))
    }


def _only(a, b) -> str:
    return ", ".join(sorted(set(a) - set(b))) or "-"


def differences(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> list[str]:
    """One line per difference, each naming the cassettes it was seen in."""
    seen: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            seen["only in the " + ("new" if old is None else "old") + " cassettes"].append(name)
            continue
        if len(old) != len(new):
            seen[f"requests per sample: emulator {len(old)}, live {len(new)}"].append(name)
        for was, now in zip(old, new, strict=False):
            if was["status"] != now["status"]:
                seen[f"status: emulator {was['status']}, live {now['status']}"].append(name)
            if was["headers"] != now["headers"]:
                line = (
                    f"kept headers: only live: {_only(now['headers'], was['headers'])}; "
                    f"only emulator: {_only(was['headers'], now['headers'])}"
                )
                seen[line].append(name)
            if was.get("events") != now.get("events"):
                line = (
                    f"event order: emulator {' > '.join(was.get('events') or ['-'])}; "
                    f"live {' > '.join(now.get('events') or ['-'])}"
                )
                seen[line].append(name)
            old_fields, new_fields = was.get("fields", {}), now.get("fields", {})
            for event in sorted(set(old_fields) & set(new_fields)):
                if old_fields[event] != new_fields[event]:
                    line = (
                        f"fields of {event}: only live: "
                        f"{_only(new_fields[event], old_fields[event])}; only emulator: "
                        f"{_only(old_fields[event], new_fields[event])}"
                    )
                    seen[line].append(name)
    return [f"- {line} ({', '.join(names)})" for line, names in seen.items()]


def report(before, after, model: str | None, outcome: dict[str, int]) -> str:
    lines = [
        "## Live re-record",
        "",
        f"Answering model: {model or 'the model each sample names'}. "
        + ", ".join(f"{step}: exit {code}" for step, code in outcome.items())
        + ".",
        "",
        "### Where the live answers' shapes differ from the emulator's",
        "",
    ]
    found = differences(before, after)
    lines += found or ["No difference in event order, fields, status codes or kept headers."]
    lines += [
        "",
        "Text, ids, token counts and header values are not compared. Cases that force an "
        "emulator scenario keep their emulator recording. Fix the emulator "
        "(streamdocs/emulator/) where it differs from the live API.",
    ]
    return "\n".join(lines) + "\n"


# --- the run ------------------------------------------------------------------------


def _pytest(args: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "pytest", *RECORD, "-q", "-p", "no:cacheprovider", *args]
    print("$", " ".join(command[2:]), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streamdocs.recording.live")
    parser.add_argument("--report", type=Path, help="also write the Markdown report here")
    parser.add_argument(
        "--sample", action="append", default=[], help="only this sample's runs (repeatable)"
    )
    args = parser.parse_args(argv)
    if not os.environ.get("ANTHROPIC_API_KEY"):
        print(SKIP_MESSAGE)
        return 0
    cassettes = ROOT / "cassettes"
    before = shapes_of(cassettes)
    env = dict(os.environ)
    only = [f"--sample={name}" for name in args.sample]
    outcome = {"record": _pytest(["--record-mode=rewrite", *only], env)}
    if outcome["record"] == 0:
        without_key = {k: v for k, v in env.items() if k != "ANTHROPIC_API_KEY"}
        outcome["replay"] = _pytest(only, without_key)
    text = report(before, shapes_of(cassettes), env.get("RECORD_MODEL"), outcome)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return max(outcome.values())


if __name__ == "__main__":
    sys.exit(main())
