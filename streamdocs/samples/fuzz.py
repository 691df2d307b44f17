"""`make fuzz`: the generated faults, all of them, then a random search for more.

    python -m streamdocs.samples.fuzz [--seed N] [--examples N] [--sample NAME]...
                                      [--real-timeouts] [--no-shapes] [--replay SPEC]

1. Every variant the rules generate (`variants.generate(..., likeliest=False)`: every
   event boundary both ways, 40 seeded offsets, every model id, ...), run and judged as
   `make test` judges its share.
2. For each sample, Hypothesis draws breaks of any of the recording's answers (later ones
   too): a drop or a clean end at any byte, a silence at any byte. A failure is shrunk to
   the fewest bytes that still fail, printed as a command that replays it, and written to
   `streamdocs/emulator/shapes/` as a new answer shape, so every sample meets it from then
   on (`make outputs` then rewrites the matrix page).

`--real-timeouts` also stalls each sample past the read timeout it sets itself, uncut (the
generated faults of `make test` cut the Python samples' own read timeouts to 10 s, and to
1.5 s for a stall), which
takes a few minutes.
`make test` never writes files; this command does, unless `--no-shapes`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from streamdocs.emulator import Emulator
from streamdocs.emulator.breaks import parsed_events
from streamdocs.emulator.scenarios import SHAPE_DIR
from streamdocs.emulator.variants import event_ends
from streamdocs.loopback import api_certificate
from streamdocs.samples import matrix, pool, variants


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=random.randrange(2**32))
    parser.add_argument("--examples", type=int, default=60, help="random breaks per sample")
    parser.add_argument("--sample", action="append", default=[], help="only these samples")
    parser.add_argument("--real-timeouts", action="store_true")
    parser.add_argument("--no-shapes", action="store_true", help="write no shape file")
    parser.add_argument("--replay", metavar="SPEC", help="run one variant, as printed")
    args = parser.parse_args(argv)

    samples = [s for s in matrix.samples() if not args.sample or s.name in args.sample]
    with tempfile.TemporaryDirectory() as folder:
        context, ca_file = api_certificate(folder)
        with Emulator(tls=context) as emulator, pool.Pool(pool.size()) as workers:

            def judged(batch: list[variants.Variant], real: bool = False) -> list[list[str]]:
                ran = variants.run(batch, emulator, workers, (emulator.tls_port, ca_file), real)
                return [variants.judge(v, run, log) for v, run, log in ran]

            if args.replay:
                return _replay(args.replay, judged)
            print(f"make fuzz: seed {args.seed}, {len(samples)} samples", flush=True)
            failures = _every_generated(samples, args.seed, judged)
            if args.real_timeouts:
                failures += _real_timeouts(samples, judged)
            failures += _search(samples, args, judged)
    if not failures:
        print("make fuzz: every variant passed")
        return 0
    print(f"\nmake fuzz: {len(failures)} failing variants (seed {args.seed}). Replay one with:")
    for spec in failures:
        print(f"  make fuzz REPLAY='{spec}'")
    return 1


def _every_generated(samples, seed, judged) -> list[str]:
    every = [v for s in samples for v in variants.generate(s, likeliest=False, seed=seed)]
    started = time.monotonic()
    verdicts = judged(every)
    failing = [(v, p) for v, p in zip(every, verdicts, strict=True) if p]
    print(
        f"generated: {len(every)} variants in {time.monotonic() - started:.0f} s, "
        f"{len(failing)} failed",
        flush=True,
    )
    for _, problems in failing:
        print(problems[0])
    return [v.spec for v, _ in failing]


def _real_timeouts(samples, judged) -> list[str]:
    """Each sample stalled inside its text past its own read timeout, as written."""
    stalls = [
        replace(v, fault=replace(v.fault, stall_seconds=variants.REAL_STALL))
        for s in samples
        for v in variants.stalls(s)
        if v.label.endswith("inside a text block")
    ]
    verdicts = judged(stalls, real=True)
    failing = [v.spec for v, problems in zip(stalls, verdicts, strict=True) if problems]
    print(f"real timeouts: {len(stalls)} stalls, {len(failing)} failed", flush=True)
    return failing


def _search(samples, args, judged) -> list[str]:
    """Hypothesis, per sample: the smallest break at any byte of any answer that fails."""
    found = []
    for sample in samples:
        bodies = variants.recorded_bodies(sample.name)
        if not bodies or sample.request.get("stream") is not True:
            continue
        specs = _breaks(sample.name, bodies)
        tried = settings(
            max_examples=args.examples,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
        )
        try:
            spec = find(
                specs,
                lambda spec: bool(judged([variants.from_spec(spec)])[0]),
                settings=tried,
                random=random.Random(f"{args.seed}:{sample.name}"),
            )
        except NoSuchExample:
            print(f"search: {sample.name}: no failing break in {args.examples} tries", flush=True)
            continue
        variant = variants.from_spec(spec)
        print(f"search: {sample.name}: smallest failing break: {variant.label}", flush=True)
        print(judged([variant])[0][0])
        if not args.no_shapes:
            print(f"  kept as {write_shape(variant, args.seed)}: run `make outputs` next")
        found.append(spec)
    return found


def _breaks(name: str, bodies: tuple[bytes, ...]):
    """Any break of any answer: which answer, drop / clean end / silence, at which byte."""

    def of_answer(number: int):
        return st.tuples(
            st.sampled_from(["cut", "cut:clean", "stall"]), st.integers(0, len(bodies[number]))
        ).map(lambda drawn: _spec(name, number, *drawn))

    return st.integers(0, len(bodies) - 1).flatmap(of_answer)


def _spec(name: str, request: int, kind: str, offset: int) -> str:
    what, _, clean = kind.partition(":")
    return f"{name}@{request}:{what}={offset}" + (":clean" if clean else "")


def _replay(spec: str, judged) -> int:
    variant = variants.from_spec(spec)
    problems = judged([variant])[0]
    where = f"{variant.sample.name} under {variant.label}"
    print(f"{where}: " + ("passed" if not problems else "failed"))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


# --- a failure kept as an answer shape ----------------------------------------------------


def write_shape(variant: variants.Variant, seed: int) -> Path:
    """The variant's answer as a shape file: the recorded answer's blocks, broken at the same
    event and byte. The emulator writes its own ids, so the bytes around the break may
    differ a little from the recording's; the break's place in the events is the same."""
    fault = variant.fault
    assert fault is not None and fault.body is not None
    body = fault.body
    at = fault.cut_at if variant.kind == "cut" else fault.stall_at
    ends = event_ends(body)
    offset = 0 if at == "headers" else int(at)
    complete = sum(1 for end in ends if end <= offset)
    into = offset - (ends[complete - 1] if complete else 0)
    interrupt: dict = {"after_events": complete}
    if into:
        interrupt["bytes_into"] = into
    if variant.kind == "stall":
        interrupt["stall_seconds"] = 2
    elif fault.abrupt:
        interrupt["cut"] = True
    else:
        interrupt["end"] = True
    shape = {
        "description": f"Found by make fuzz (seed {seed}) in {variant.sample.name}: "
        f"{variant.label}.",
        **_scenario_of(body),
        "interrupt": interrupt,
    }
    digest = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:8]
    path = SHAPE_DIR / f"fuzz_{variant.sample.name}_{digest}.yaml"
    path.write_text(yaml.safe_dump(shape, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def _scenario_of(body: bytes) -> dict:
    """A recorded SSE body as a scenario's content (and stop reason, when not natural)."""
    blocks: dict[int, dict] = {}
    parts: dict[int, list[str]] = {}
    stop: dict = {}
    for _, _, event in parsed_events(body):
        kind = event.get("type")
        if kind == "content_block_start":
            blocks[event["index"]] = dict(event["content_block"])
            parts[event["index"]] = []
        elif kind == "content_block_delta":
            delta = event["delta"]
            piece = next((delta[k] for k in ("text", "thinking", "partial_json") if k in delta), "")
            parts.setdefault(event["index"], []).append(piece)
        elif kind == "message_delta":
            stop = {k: v for k, v in event["delta"].items() if v is not None}
    content = []
    for index in sorted(blocks):
        block, joined = blocks[index], "".join(parts.get(index, []))
        if block["type"] == "text":
            content.append({"text": joined})
        elif block["type"] == "thinking":
            content.append({"thinking": joined})
        elif block["type"] == "redacted_thinking":
            content.append({"redacted_thinking": block.get("data", "")})
        elif block["type"] in ("tool_use", "server_tool_use"):
            tool = {"name": block["name"], "input": json.loads(joined or "{}"), "exact": True}
            content.append({block["type"]: tool})
        else:
            content.append({"block": block})
    scenario: dict = {"content": content}
    if stop.get("stop_reason") not in (None, "end_turn", "tool_use"):
        scenario["stop_reason"] = stop["stop_reason"]
        if stop.get("stop_details"):
            scenario["stop_details"] = stop["stop_details"]
    return scenario


if __name__ == "__main__":
    sys.exit(main())
