"""`claude-stream-emulator`: the Messages API emulator on loopback, for code in any language.

    claude-stream-emulator --list                     the answer shapes and break rules
    claude-stream-emulator [--shape NAME] [--fault SPEC] [--port 8765]
                                                      serve one (every request gets it)
    claude-stream-emulator [--shape NAME]... [--faults none] -- COMMAND [ARG...]
                                                      run COMMAND once per answer, judged

Serving prints the ANTHROPIC_BASE_URL to use. Running starts COMMAND first against the
natural answer (to learn the request it sends), then once per shape that fits that
request and per break of each shape's answer, several at once (`--jobs`), each with
ANTHROPIC_BASE_URL naming its own answer and ANTHROPIC_API_KEY a key the emulator takes;
it prints one line per answer, what went wrong in each failing run with the options that
serve that answer again, and exits 1 if any run went wrong.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from streamdocs.emulator import Emulator
from streamdocs.emulator.variants import CaseLog, Fault

from . import catalogue
from .answers import (
    KEY,
    MODES,
    NATURAL,
    SEED,
    STALL_SECONDS,
    Answer,
    Outcome,
    Planned,
    Plans,
    answers,
    habits,
    outcome,
    parse_fault,
    summary,
)
from .verdicts import Run

PROG = "claude-stream-emulator"


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog=PROG,
        description="The Messages API, emulated on 127.0.0.1: serve one answer shape or "
        "break, or run a command once per answer (after `--`) and judge what it did.",
    )
    found.add_argument("--list", action="store_true", help="list the shapes and break rules")
    found.add_argument(
        "--shape",
        action="append",
        default=[],
        metavar="NAME",
        help="serve this shape; with a command, run against it only (again for more)",
    )
    found.add_argument(
        "--fault", metavar="SPEC", help="serve this break: cut=N[:clean], stall=N|headers, model=ID"
    )
    found.add_argument("--port", type=int, default=8765, help="serving: the port (0: any free)")
    found.add_argument("--faults", choices=MODES, default="likeliest", help="breaks to run")
    found.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="runs at once (default: cores)"
    )
    found.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a run may take (default 60)"
    )
    found.add_argument(
        "--stall",
        type=float,
        default=STALL_SECONDS,
        metavar="SECONDS",
        help=f"how long a stall is silent (default {STALL_SECONDS})",
    )
    found.add_argument("--seed", type=int, default=SEED, help="the seed of the random cuts")
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser().parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    try:
        if args.list:
            print_list()
            return 0
        if command:
            return run(command, args)
        return serve(args)
    except ValueError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2


def print_list() -> None:
    shapes = catalogue.shapes()
    print(f"Answer shapes ({len(shapes)}): what each tests, and what a request needs to get it")
    for shape in shapes:
        broken = "" if shape.broken else "  (fails by itself: not broken further)"
        print(f"  {shape.name}\n      {shape.tests}\n      needs: {shape.needs}{broken}")
    print("\nBreaks of each answer (--faults none: none):")
    for kind, rule, catches in catalogue.break_rules():
        print(f"  {kind}: {rule}\n      catches: {catches}")


def serve(args: argparse.Namespace) -> int:
    if len(args.shape) > 1:
        raise ValueError("serve one shape at a time (one --shape)")
    shape = args.shape[0] if args.shape else None
    answers([shape] if shape else None, "none")  # an unknown name fails here, by name
    fault = parse_fault(args.fault, args.stall) if args.fault else Fault(request=None)
    with Emulator(port=args.port) as emulator:
        url = emulator.url
        if shape or args.fault:
            planned = replace(fault, shape=None if shape in (None, NATURAL) else shape)
            url = emulator.add_case("serve", planned)
        said = f"shape {shape}" if shape else "the natural answer"
        broken = f", broken ({args.fault})" if args.fault else ""
        print(f"{PROG}: serving on {emulator.url}", flush=True)
        print(f"every request gets {said}{broken}; any sk-ant- key is taken:", flush=True)
        print(f"ANTHROPIC_BASE_URL={url}\nANTHROPIC_API_KEY={KEY}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


def run(command: list[str], args: argparse.Namespace) -> int:
    chosen = answers(args.shape or None, args.faults)
    with Emulator() as emulator:
        first, log = _once(emulator, "natural", Fault(), command, args.timeout)
        if not log.requests:
            print(
                f"{PROG}: {' '.join(command)} sent no request to ANTHROPIC_BASE_URL; it "
                f"showed:\n{first.output}",
                file=sys.stderr,
            )
            return 2
        request = log.requests[0].request
        yardstick = habits(log, first.output)
        plans = Plans(emulator, request, args.faults, args.seed, args.stall)
        skipped: dict[str, str] = {}
        jobs: list[tuple[Answer, Planned]] = []
        for answer in chosen:
            if why := plans.misfit(answer):
                skipped[answer.id] = why
            else:
                jobs += [(answer, planned) for planned in plans.runs(answer)]

        def one(number: int) -> Outcome:
            answer, planned = jobs[number]
            if answer == Answer(NATURAL):
                done, got = first, log
            else:
                done, got = _once(emulator, f"c{number}", planned.fault, command, args.timeout)
            return outcome(answer.name, planned, done, got, yardstick, request)

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            outcomes = list(pool.map(one, range(len(jobs))))
    return report(chosen, jobs, outcomes, skipped, command)


def _once(
    emulator: Emulator, case: str, fault: Fault, command: list[str], timeout: float
) -> tuple[Run, CaseLog]:
    """Run the command once, its requests routed to `fault`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["ANTHROPIC_BASE_URL"] = emulator.add_case(case, fault)
    env["ANTHROPIC_API_KEY"] = KEY
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, errors="replace", timeout=timeout
        )
    except subprocess.TimeoutExpired as late:
        shown = late.stdout or ""  # bytes, though text was asked for
        shown = shown.decode(errors="replace") if isinstance(shown, bytes) else shown
        run = Run(shown, True, f"still running after {timeout:g} s", hung=True, seconds=timeout)
        return run, emulator.case_log(case)
    code, seconds = done.returncode, time.perf_counter() - start
    run = Run(done.stdout + done.stderr, code != 0, f"exit {code}", seconds=seconds)
    return run, emulator.case_log(case)


def report(chosen, jobs, outcomes, skipped, command) -> int:
    again = f" -- {' '.join(command)}"
    bad = 0
    for answer in chosen:
        if answer.id in skipped:
            print(f"skip  {answer.id}: {skipped[answer.id]}")
            continue
        mine = [o for (a, _), o in zip(jobs, outcomes, strict=True) if a == answer]
        failed = [o for o in mine if o.problems]
        bad += bool(failed)
        runs = f" ({len(mine)} breaks)" if answer.faults else ""
        if not failed:
            print(f"ok    {answer.id}{runs}")
            continue
        print(f"FAIL  {answer.id}: {len(failed)} of {len(mine)} runs went wrong")
        print("      " + summary(failed, PROG, again).replace("\n", "\n      ").rstrip())
    total = sum(1 for a in chosen if a.id not in skipped)
    print(f"\n{total - bad} passed, {bad} failed, {len(skipped)} skipped")
    return 1 if bad else 0
