"""Every way a sample's stream can break, generated from its own recording, and judged.

For each sample that sends a request (`matrix.samples()`), the first response its cassette
holds is taken apart and broken in every way the rules give; each break is a *variant*,
run live against the emulator (which serves it to that run alone) by the worker pool.
Nothing here names a sample: a new sample gets its variants from its cassette.

- cut, stall, and the model the answer names: the body-level rules of
  streamdocs/emulator/breaks.py (the emulator kit breaks shapes' answers with the same),
  a stall lasting past the client's read timeout;
- model given: for a sample that takes its model from argv or the environment, each id
  the emulator knows (the pinned SDK's list) given to it, alone and cut;
- environment: each credential source the SDK reads, there but unusable, and none.

`judge` says what is wrong with a run; `make test` runs the likeliest variants of each
class (`likeliest=True`), `make fuzz` all of them and more (streamdocs/samples/fuzz.py).
"""

from __future__ import annotations

import ast
import functools
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from streamdocs.emulator import breaks
from streamdocs.emulator.models import known as known_models
from streamdocs.emulator.variants import CaseLog, Fault
from streamdocs.paths import CASSETTES, DOCS, OUTPUTS
from streamdocs.recording import cassettes
from streamdocs.samples import matrix, pool
from streamdocs.samples.cases import SPECIAL, Case
from streamdocs.samples.pool import Job
from streamdocs.samples.runner import Run, unvarying

CLASSES = ("cut", "stall", "model", "environment")
SEED = 20261204  # `make test`'s variants are the same on every run
# Read timeouts in these runs: where no stall is meant, a client without its own gets 10 s
# and one a sample sets is cut to 10 s (a cut needs no wait, and on a loaded machine an
# answer's next event once came more than 1 s late: a short timeout took it for a stall);
# for a stall, both are 1.5 s (and a TypeScript sample's fetch, which waits 300 s for a
# silent body, gives up after 1.5 s too), and the silence lasts 5 s: far longer, however
# loaded the machine, yet a run waits only until its client gives up. Not less than 1.5 s:
# with four test workers on two cores, the emulator once wrote the bytes before a stall
# more than 0.3 s late, and the client took the wait for the stall.
READ_TIMEOUT, READ_CAP = 10.0, 10.0
STALL_READ_TIMEOUT, STALL = 1.5, 5.0
REAL_STALL = 130.0  # `make fuzz --real-timeouts`: past the longest timeout a sample sets


@dataclass(frozen=True)
class Variant:
    sample: matrix.Sample
    kind: str  # one of CLASSES
    label: str  # what broke, as a reader of a failure needs to hear it
    fault: Fault | None = None  # None: the emulator's natural answer, unbroken
    args: tuple[str, ...] = ()
    env: dict[str, str | None] = field(default_factory=dict)
    home_files: dict[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> str:
        """The variant in a line `make fuzz REPLAY=...` reads back (`from_spec`)."""
        fault, name = self.fault, self.sample.name
        if self.kind == "cut" and fault is not None:
            clean = "" if fault.abrupt else ":clean"
            return f"{name}@{fault.request}:cut={fault.cut_at}{clean}"
        if self.kind == "stall" and fault is not None:
            return f"{name}@{fault.request}:stall={fault.stall_at}"
        if self.kind == "environment":
            return f"{name}:env={self.label}"
        given = self.args[0] if self.args else next(iter(self.env.values()), None)
        if given is None:
            return f"{name}:model={fault.model if fault else ''}"
        return f"{name}:given={given}" + (":cut-after-text=1" if fault else "")


# --- the recorded answer -----------------------------------------------------------------


@functools.cache
def recorded_bodies(name: str) -> tuple[bytes, ...]:
    """The bodies of the answers (status 200) sample `name`'s cassette holds, in order."""
    cassette = cassettes.load(CASSETTES / f"{name}.yaml")
    return tuple(
        i["response"]["body"]["string"].encode("utf-8")
        for i in cassette["interactions"]
        if i["response"]["status"]["code"] == 200
    )


def recorded_body(name: str) -> bytes:
    """The body of the first answer its cassette holds: the one `make test` breaks."""
    return recorded_bodies(name)[0]


# --- the rules -------------------------------------------------------------------------------


def cuts(sample: matrix.Sample, likeliest: bool, rng: random.Random) -> list[Variant]:
    body = recorded_body(sample.name)
    return [Variant(sample, *found) for found in breaks.cuts(body, likeliest, rng)]


def stalls(sample: matrix.Sample) -> list[Variant]:
    body = recorded_body(sample.name)
    return [Variant(sample, *found) for found in breaks.stalls(body, STALL)]


def models(
    sample: matrix.Sample, likeliest: bool, rng: random.Random, streams: bool = True
) -> list[Variant]:
    ids = sorted(known_models())
    # the answer names a model the sample did not ask for (its own is the recording)
    others = [model for model in ids if model != sample.request.get("model")]
    named = (rng.sample(others, k=3) if likeliest else others) if streams else []
    body = recorded_body(sample.name)
    found = [Variant(sample, *named_model) for named_model in breaks.renamed(body, named)]
    source = model_source(sample.path)
    if source is None:
        return found
    for model in ids:
        given = {"args": (model,)} if source == "argv" else {"env": {source: model}}
        found.append(Variant(sample, "model", f"given model {model}", **given))
        found.append(
            Variant(
                sample,
                "model",
                f"given model {model}, its answer dropped after the first text",
                Fault(cut_after_text=1),
                **given,
            )
        )
    return found


def model_source(path: Path) -> str | None:
    """Where the sample's model comes from, when a reader gives it: "argv", or the name of
    the environment variable; None when the code names it. Read from the code: the value
    passed as `model=`, or a module-level name it refers to, that reads sys.argv or
    os.environ / os.getenv."""
    if path.suffix == ".ts":
        return _model_source_ts(path.read_text(encoding="utf-8"))
    if path.suffix != ".py":
        return None
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.keyword) or node.arg != "model":
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in assigned:
            value = assigned[value.id]
        text = ast.unparse(value)
        if "sys.argv" in text:
            return "argv"
        if found := re.search(r"os\.(?:environ(?:\.get)?\(?\[?|getenv\()\s*['\"](\w+)", text):
            return found[1]
    return None


def _model_source_ts(source: str) -> str | None:
    """The same for TypeScript: `model: NAME` (or the value itself) reading process.argv
    or process.env."""
    for value in re.findall(r"\bmodel:\s*([^,\n}]+)", source):
        value = value.strip()
        if found := re.search(rf"\bconst {re.escape(value)}\s*=\s*([^;\n]+)", source):
            value = found[1]
        if "process.argv" in value:
            return "argv"
        if found := re.search(r"process\.env(?:\.(\w+)|\[['\"](\w+))", value):
            return found[1] or found[2]
    return None


# Each credential source the SDK's chain reads (anthropic/lib/credentials/_chain.py), there
# but unusable; and none at all. A run starts with no ANTHROPIC_* variable and an empty home.
CREDENTIALS: dict[str, dict] = {
    "ANTHROPIC_API_KEY a key the API rejects": {"env": {"ANTHROPIC_API_KEY": "not-a-key"}},
    "ANTHROPIC_AUTH_TOKEN a token the API rejects": {"env": {"ANTHROPIC_AUTH_TOKEN": "expired"}},
    "ANTHROPIC_PROFILE naming a profile that does not exist": {
        "env": {"ANTHROPIC_PROFILE": "work"}
    },
    "ANTHROPIC_CONFIG_DIR holding no profile": {"env": {"ANTHROPIC_CONFIG_DIR": "config"}},
    "a default profile on disk that is not JSON": {
        "home_files": {".config/anthropic/configs/default.json": "{not json"}
    },
    "workload identity whose token exchange the API refuses": {
        "env": {
            "ANTHROPIC_FEDERATION_RULE_ID": "fdrl_generated",
            "ANTHROPIC_ORGANIZATION_ID": "00000000-0000-4000-8000-000000000000",
            "ANTHROPIC_IDENTITY_TOKEN": "a.jwt.token",
        }
    },
    "workload identity whose token file is missing": {
        "env": {
            "ANTHROPIC_FEDERATION_RULE_ID": "fdrl_generated",
            "ANTHROPIC_ORGANIZATION_ID": "00000000-0000-4000-8000-000000000000",
            "ANTHROPIC_IDENTITY_TOKEN_FILE": "token.jwt",
        }
    },
    "no credential at all": {},
}


def environments(sample: matrix.Sample) -> list[Variant]:
    if not sample.uses_sdk:
        return []  # curl and plain HTTP read ANTHROPIC_API_KEY themselves
    return [
        Variant(sample, "environment", source, **setup) for source, setup in CREDENTIALS.items()
    ]


def generate(sample: matrix.Sample, likeliest: bool = True, seed: int = SEED) -> list[Variant]:
    """Every variant of a sample, in class order; `likeliest` keeps `make test`'s share. A
    sample that does not stream has no stream to break: it gets the model and environment
    variants only."""
    rng = random.Random(f"{seed}:{sample.name}")
    streams = sample.request.get("stream") is True
    return [
        *(cuts(sample, likeliest, rng) if streams else []),
        *(stalls(sample) if streams else []),
        *models(sample, likeliest, rng, streams),
        *environments(sample),
    ]


@functools.cache
def _generated(name: str) -> tuple[dict[str, Variant], matrix.Sample]:
    """Every variant the rules give sample `name`, by spec (`make fuzz` reads many)."""
    sample = next((s for s in matrix.samples() if s.name == name), None)
    if sample is None:
        raise ValueError(f"no sample named {name!r} sends a request")
    return {v.spec: v for v in generate(sample, likeliest=False)}, sample


def from_spec(spec: str) -> Variant:
    """The variant a `Variant.spec` line names: one the rules generate, or the same kind of
    break at any offset of any of the recording's answers (what `make fuzz` draws)."""
    name, _, rest = spec.partition("@") if "@" in spec else spec.partition(":")
    known, sample = _generated(name.split(":")[0])
    if spec in known:
        return known[spec]
    match = re.fullmatch(r"[\w/]+@(\d+):(cut|stall)=(\w+)(:clean)?", spec)
    if match is None:
        raise ValueError(f"not a variant of {sample.name}: {spec!r}")
    request, kind, at, clean = int(match[1]), match[2], match[3], bool(match[4])
    body = recorded_bodies(sample.name)[request]
    where = f"byte {at} of {len(body)} of answer {request}"
    if kind == "cut":
        fault = Fault(body, cut_at=int(at), abrupt=not clean, request=request)
        what = "ended cleanly" if clean else "dropped"
        return Variant(sample, "cut", f"{what} at {where}", fault)
    stall_at = at if at == "headers" else int(at)
    fault = Fault(body, stall_at=stall_at, stall_seconds=STALL, request=request)
    return Variant(sample, "stall", f"silent at {where}", fault)


# --- running -----------------------------------------------------------------------------


def job(
    variant: Variant,
    case_id: str,
    base_url: str,
    curl: tuple[int, str] | None,
    real_timeouts: bool = False,
) -> Job:
    """How the pool runs a variant: the sample's case, routed to its own answer;
    `real_timeouts`: the sample's own read timeout is left as written."""
    case = SPECIAL.get(variant.sample.name) or Case(variant.sample.name, variant.sample.path)
    env: dict[str, str | None] = dict(variant.env)
    if variant.kind == "environment":
        env.setdefault("ANTHROPIC_API_KEY", None)  # its own credential, or none
    stalled = variant.kind == "stall"
    return pool.routed(
        case,
        case_id,
        base_url,
        curl,
        env,
        variant.home_files,
        args=variant.args,
        read_timeout=STALL_READ_TIMEOUT if stalled else READ_TIMEOUT,
        cap_read_timeout=None if real_timeouts else STALL_READ_TIMEOUT if stalled else READ_CAP,
        body_timeout=STALL_READ_TIMEOUT if stalled and not real_timeouts else None,
    )


def run(
    variants: list[Variant],
    emulator,
    pool,
    curl: tuple[int, str] | None,
    real_timeouts: bool = False,
) -> list[tuple[Variant, Run, CaseLog]]:
    """Run every variant at once in the pool, each served its own answer by the emulator
    (`emulator.add_case`); with what the sample did and what each of its requests got."""
    names = [f"v{number}" for number in range(len(variants))]
    jobs = [
        job(variant, name, emulator.add_case(name, variant.fault or Fault()), curl, real_timeouts)
        for name, variant in zip(names, variants, strict=True)
    ]
    runs = pool.run(jobs)
    return [
        (variant, result, emulator.case_log(name))
        for name, variant, result in zip(names, variants, runs, strict=True)
    ]


# --- the page's summary ------------------------------------------------------------------

SUMMARY_START, SUMMARY_END = "<!-- generated:start -->", "<!-- generated:end -->"
HEADINGS = {"cut": "Cuts", "stall": "Stalls", "model": "Models", "environment": "Credentials"}


def outcome(run: Run) -> str:
    if run.crash:
        return f"raise `{run.crash.split(':')[0].rsplit('.', 1)[-1]}`"
    return "complete" if run.exit_code == 0 else "stop with a message"


def summary(outcomes) -> str:
    """The answer-matrix page's grid: per sample and class, how many variants it survived
    and what it did with them (each outcome once)."""
    cells: dict[str, dict[str, dict[str, int]]] = {}
    for variant, result, _ in outcomes:
        kinds = cells.setdefault(variant.sample.name, {})
        counts = kinds.setdefault(variant.kind, {})
        counts[outcome(result)] = counts.get(outcome(result), 0) + 1
    rows = [
        "| Sample | " + " | ".join(HEADINGS[k] for k in CLASSES) + " |",
        "| --- | " + " | ".join("---" for _ in CLASSES) + " |",
    ]
    for name in sorted(cells):
        parts = []
        for kind in CLASSES:
            counts = cells[name].get(kind)
            if not counts:
                parts.append("—")
                continue
            # what it did, not how often: a run's timing may move a cut from one to the
            # other (a task cancelled before or after the break)
            parts.append(f"**{sum(counts.values())}**: " + ", ".join(sorted(counts)))
        rows.append(f"| `{name}` | " + " | ".join(parts) + " |")
    return "\n".join(rows)


# --- verdicts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectations:
    """What a sample's normal run shows, read from its recorded output."""

    prints_text: bool  # the answer's text appears, whole
    once: bool  # ...exactly once


@functools.cache
def expectations(name: str) -> Expectations:
    body = recorded_body(name)
    text = breaks.text_of(body)
    output = OUTPUTS / f"{name}.txt"
    shown = output.read_text(encoding="utf-8") if output.exists() else ""
    head = text[: matrix.PREFIX]
    return Expectations(bool(head) and head in shown, shown.count(head) == 1 if head else False)


CREDENTIAL_WORDS = re.compile(r"credential|\bkey\b|api.?key|auth|token|profile|config|401", re.I)


def judge(variant: Variant, run: Run, log: CaseLog | None) -> list[str]:
    """Everything wrong with what the sample did under this variant (empty: it coped)."""
    sample = variant.sample
    requests = log.requests if log is not None else []
    whole = bool(requests) and requests[-1].message_stop
    problems: list[tuple[str, str]] = []
    if "\ufffd" in run.stdout:
        problems.append(("printed a broken character (U+FFFD)", "decode bytes, not each chunk"))
    if run.crash:
        # a sample that handles errors must not crash; one that does not may, on a
        # failure, with an exception a page it is shown on names (missing credentials
        # are a failure every sample may raise on)
        if sample.handles_errors and variant.kind != "environment":
            problems.append((f"crashed with {run.crash}", "catch it and say what failed"))
        elif not _named(sample, run.crash):
            problems.append(
                (
                    f"let {run.crash.split(':')[0]} escape, which no page showing it names",
                    f"name it on the page, or link {matrix.TROUBLESHOOTING} and name it there",
                )
            )
    elif variant.kind == "environment":
        said = [line for line in run.output.splitlines() if CREDENTIAL_WORDS.search(line)]
        if run.exit_code == 0 or not said:
            problems.append(
                (
                    "did not fail with a line naming the credential problem",
                    "let the SDK's exception through, or say which credential is missing",
                )
            )
    elif sample.handles_errors:
        problems += _outcome_problems(variant, run, requests, whole)
    where = f"{matrix.display_path(sample.path)} under {variant.label}"
    return [
        f"{where}: {what}.\n  Fix: {fix}.\n  It printed:\n{_indent(run.output)}"
        for what, fix in problems
    ]


def _outcome_problems(variant, run, requests, whole) -> list[tuple[str, str]]:
    """For a sample that handles errors: it says complete exactly when the answer is, and
    keeps the text that arrived, once."""
    found = []
    if run.exit_code == 0 and not whole:
        found.append(
            (
                "presented the answer as complete (exit 0) though its message_stop never arrived",
                "treat an answer without message_stop as incomplete",
            )
        )
    if run.exit_code != 0 and whole:
        found.append(
            (
                "reported a failure though the answer's message_stop arrived",
                "once message_stop has arrived the answer is whole: keep it",
            )
        )
    expect = expectations(variant.sample.name)
    if variant.kind not in ("cut", "stall") or not expect.prints_text or not requests:
        return found
    out = unvarying(run.stdout)
    first = requests[0].text.rstrip()  # trailing whitespace may be held back
    if first and first not in out:
        found.append(
            (
                f"lost text that had arrived ({len(first)} characters, ending {first[-40:]!r})",
                "print each text delta as it arrives and keep it when the stream fails",
            )
        )
    head = first[: matrix.PREFIX]
    if expect.once and len(head) >= 10 and out.count(head) > 1:
        found.append(
            (
                f"printed text twice ({head!r})",
                "when you send the request again, don't print what was already shown",
            )
        )
    return found


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in (text or "(nothing)").splitlines()[-12:])


@functools.cache
def _pages() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}


def _named(sample: matrix.Sample, crash: str) -> bool:
    """The escaped exception's class is named on a page showing the sample, or on the
    troubleshooting page when one of those links it."""
    cls = crash.split(":")[0].rsplit(".", 1)[-1]
    pages = _pages()
    if sample.path not in _EXPLAINING:
        _EXPLAINING[sample.path] = _explaining(sample, pages)
    return any(re.search(rf"\b{re.escape(cls)}\b", pages[p]) for p in _EXPLAINING[sample.path])


# Each sample's pages, found once: reading every page's markers again for each of
# thousands of runs cost more than the runs.
_EXPLAINING: dict[Path, tuple[Path, ...]] = {}


def _explaining(sample: matrix.Sample, pages: dict[Path, str]) -> tuple[Path, ...]:
    """The pages a reader of the sample meets its failures on."""
    shown_on = matrix.pages_showing(sample, pages)
    if matrix.page_links_troubleshooting(sample, pages):
        shown_on.append(DOCS / matrix.TROUBLESHOOTING)
    return tuple(p for p in shown_on if p in pages)
