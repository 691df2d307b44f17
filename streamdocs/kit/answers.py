"""The runs one piece of code gets: every answer shape its request could get, and the
breaks of each shape's answer, served one at a time on one case's URL of the emulator.

The code runs first against its *natural* answer (the emulator's own): that run tells the
request it sends (which shapes fit it, `fit.misfit`), and whether it shows text. Then each
answer is a plan of runs (`plan`): a shape served as it is, or the breaks of its answer to
that request (streamdocs/emulator/breaks.py), each served verbatim. The plugin runs a plan
inside one test; the command runs every plan at once, each run on its own case.

Breaks: every shape's answer is cut after each event (dropped and ended cleanly) and
inside characters; a silence only matters in the phase it falls in, so each stall phase is
tried once, on the natural answer or the first shape whose answer has that phase; the
model an answer names is changed on the natural answer only, to each id the kit knows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from streamdocs.emulator import breaks, models
from streamdocs.emulator.fit import is_failure, misfit
from streamdocs.emulator.scenarios import Scenario, client_tools, load_scenarios, shapes
from streamdocs.emulator.server import Emulator
from streamdocs.emulator.variants import Fault

from .verdicts import Habits, Run, habits, judge

NATURAL = "natural"  # the emulator's own answer to the request, as the API would give it
KEY = "sk-ant-emulator-kit"  # the emulator takes any sk-ant- key
SEED = 20261204
STALL_SECONDS = 2.0  # past the read timeout a test gives its client
MODES = ("likeliest", "all", "none")  # how many breaks: make test's share, all, or none
AS_IT_IS = "the answer as it is"


@dataclass(frozen=True)
class Answer:
    """One answer a piece of code is run against: a shape (or the natural answer), served
    as it is, or broken every way the rules say (`faults`)."""

    name: str
    faults: bool = False

    @property
    def id(self) -> str:
        return f"{self.name}-faults" if self.faults else self.name


def catalogue(scenarios: dict[str, Scenario] | None = None) -> dict[str, Scenario]:
    """The answer shapes: every scenario no request property selects by itself."""
    return shapes(scenarios if scenarios is not None else load_scenarios())


def answers(names: list[str] | None = None, mode: str = "likeliest") -> list[Answer]:
    """Every answer to run against, in catalogue order (`names`: those shapes only): the
    natural answer and each shape, each followed by its breaks unless `mode` is "none" (a
    shape that fails by itself has no answer to break)."""
    known = catalogue()
    unknown = sorted(set(names or ()) - {NATURAL, *known})
    if unknown:
        raise ValueError(f"no answer shape named {', '.join(unknown)} (see --list)")
    found = []
    for name in [NATURAL, *known]:
        if names and name not in names:
            continue
        found.append(Answer(name))
        if mode != "none" and (name == NATURAL or not is_failure(known[name])):
            found.append(Answer(name, faults=True))
    return found


@dataclass(frozen=True)
class Planned:
    label: str  # what the answer is, or how it broke
    spec: str  # the command's options that serve it again
    fault: Fault
    kind: str = "shape"  # "shape" (as it is), or the kind of break: cut, stall, model


def fault_spec(shape: str, fault: Fault) -> str:
    """The command's options that serve this run's answer again (by hand, to poke at)."""
    parts = [] if shape == NATURAL else ["--shape", shape]
    if fault.cut_at is not None:
        parts += ["--fault", f"cut={fault.cut_at}" + ("" if fault.abrupt else ":clean")]
    elif fault.stall_at is not None:
        parts += ["--fault", f"stall={fault.stall_at}"]
    elif fault.model is not None:
        parts += ["--fault", f"model={fault.model}"]
    return " ".join(parts)


def parse_fault(spec: str, stall_seconds: float = STALL_SECONDS) -> Fault:
    """`cut=N`, `cut=N:clean`, `stall=N` or `stall=headers`, `model=ID`: a break of the
    answer's bytes (N counts them)."""
    kind, _, value = spec.partition("=")
    try:
        if kind == "cut":
            at, _, clean = value.partition(":")
            if clean not in ("", "clean"):
                raise ValueError(clean)
            return Fault(cut_at=int(at), abrupt=not clean, request=None)
        if kind == "stall":
            at = value if value == "headers" else int(value)
            return Fault(stall_at=at, stall_seconds=stall_seconds, request=None)
        if kind == "model" and value:
            return Fault(model=value, request=None)
    except ValueError:
        pass
    raise ValueError(
        f"not a fault: {spec!r} (cut=N, cut=N:clean, stall=N, stall=headers, model=ID)"
    )


class Plans:
    """What one piece of code's request gets: each answer's runs, from the request its
    natural run sent."""

    def __init__(
        self,
        emulator: Emulator,
        request: dict,
        mode: str = "likeliest",
        seed: int = SEED,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        self.emulator = emulator
        self.request = request
        self.mode = mode
        self.seed = seed
        self.stall_seconds = stall_seconds
        self.shapes = catalogue(emulator.scenarios)

    def misfit(self, answer: Answer) -> str | None:
        """Why the API could not give this answer to the request (None: it could)."""
        if answer.name == NATURAL:
            return None
        return misfit(self.shapes[answer.name], self.request)

    def body(self, name: str) -> bytes | None:
        return self.emulator.answer_body(self.request, None if name == NATURAL else name)

    def runs(self, answer: Answer) -> list[Planned]:
        if not answer.faults:
            fault = Fault() if answer.name == NATURAL else Fault(shape=answer.name)
            return [Planned(AS_IT_IS, fault_spec(answer.name, fault), fault)]
        body = self.body(answer.name)
        if body is None:
            return []
        rng = random.Random(f"{self.seed}:{answer.name}")
        found = [(answer.name, b) for b in breaks.cuts(body, self.mode == "likeliest", rng)]
        if answer.name == NATURAL:
            found += self._stalls(body)
            found += [(NATURAL, b) for b in breaks.renamed(body, models.known())]
        return [Planned(b.label, fault_spec(name, b.fault), b.fault, b.kind) for name, b in found]

    def _stalls(self, natural: bytes) -> list[tuple[str, breaks.Break]]:
        """Each stall phase once: on the natural answer, or the first shape that has it."""
        bodies = [(NATURAL, natural)]
        for name, shape in self.shapes.items():
            if not is_failure(shape) and misfit(shape, self.request) is None:
                bodies.append((name, self.body(name)))
        found = []
        for phase in breaks.STALL_PHASES:
            for name, body in bodies:
                at = breaks.stall_points(body).get(phase) if body else None
                if at is None:
                    continue
                label = breaks.stall_label(phase)
                if name != NATURAL:
                    label += f" (of shape {name}'s answer)"
                fault = Fault(body, stall_at=at, stall_seconds=self.stall_seconds)
                found.append((name, breaks.Break("stall", label, fault)))
                break
        return found


@dataclass
class Outcome:
    """One run: the answer, how it broke, what the code did, and what is wrong with it."""

    answer: str
    label: str
    spec: str
    run: Run
    log: object  # the emulator's CaseLog: what each request was sent
    problems: list[tuple[str, str]]
    kind: str = "shape"

    def describe(self, prog: str = "claude-stream-emulator", command: str = "") -> str:
        """What went wrong, the fix's direction, how to get this answer again (`command`:
        the command that ran, after the options), and the end of what the code showed."""
        where = self.answer if self.label == AS_IT_IS else f"{self.answer}, {self.label}"
        lines = (self.run.output or "(nothing)").splitlines()[-12:]
        shown = "".join(f"    {line}\n" for line in lines)
        said = "".join(f"{where}: {what}.\n  Fix: {fix}.\n" for what, fix in self.problems)
        verb = "Run" if command else "Serve"
        again = " ".join(filter(None, [prog, self.spec])) + command
        return f"{said}  {verb} it again: {again}\n  It showed:\n{shown}"


def summary(failed: list[Outcome], prog: str = "claude-stream-emulator", command: str = "") -> str:
    """The failing runs grouped by the kind of break and what to fix: each way once, with
    how many runs went wrong that way and the first two of them in full."""
    ways: dict[tuple[str, str], list[Outcome]] = {}
    for found in failed:
        for _, fix in found.problems:
            ways.setdefault((found.kind, fix), []).append(found)
    parts = []
    for (kind, fix), runs in ways.items():
        where = "" if kind == "shape" else f"{kind}s: "
        parts.append(f"[{len(runs)} run{'s' * (len(runs) > 1)}] {where}{fix}:")
        parts += [found.describe(prog, command) for found in runs[:2]]
        if len(runs) > 2:
            parts.append(f"(and {len(runs) - 2} more the same way)")
    return "\n".join(parts)


def tools_offered(request: dict) -> list[str]:
    return [t["name"] for t in client_tools(request) if isinstance(t.get("name"), str)]


def outcome(answer: str, planned: Planned, run: Run, log, yardstick: Habits, request) -> Outcome:
    problems = judge(run, log, yardstick, tools_offered(request))
    return Outcome(answer, planned.label, planned.spec, run, log, problems, planned.kind)


__all__ = ["AS_IT_IS", "Answer", "Outcome", "Plans", "Planned", "habits", "outcome"]
