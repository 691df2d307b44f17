"""Every sample against every answer the API could give to the request it sends.

A cell runs one sample live against the emulator, which answers the sample's first request
with one shape (`streamdocs/emulator/shapes/` and the unmatched scenarios) and any later request
naturally. Nothing here changes when a sample or a shape is added. The page
`docs/reference/answer-matrix.md` shows every cell's outcome; `make outputs` rewrites it.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from streamdocs import sdk_internals
from streamdocs.emulator.fit import compatible
from streamdocs.emulator.scenarios import load_scenarios, shapes
from streamdocs.emulator.variants import Fault
from streamdocs.paths import ANSWER_MATRIX, DOCS, SNIPPETS, rel
from streamdocs.samples import matrix, pool, runner, variants
from streamdocs.samples.cases import NAMED_TESTS, SPECIAL, Case, typescript_samples
from streamdocs.site.tables import tables

SAMPLES = matrix.samples(typescript=True)
SHAPES = shapes(load_scenarios())
# A shape that never goes silent is never given up on: on a loaded two-core machine a
# healthy stream's next event once came more than 1 s late. One that does goes silent for
# 6 s here, not its own 2 s, and a client gives up after 2 s: a late event before the
# silence, or a timeout that fires late, still cannot decide the cell.
UNHURRIED_READ_TIMEOUT = 10.0
SILENT_READ_TIMEOUT, SILENCE = 2.0, 6.0
CELLS = [
    pytest.param(sample, name, id=f"{sample.name}-{name}")
    for sample in SAMPLES
    for name, shape in SHAPES.items()
    if compatible(shape, sample.request)
]
PAGE = ANSWER_MATRIX
START, END = "<!-- matrix:start -->", "<!-- matrix:end -->"
COLUMNS = ("completes (exit 0)", "stops with a message", "raises")


# One worker owns the cells: they run together, at once, in its pool.
pytestmark = pytest.mark.xdist_group("live-runs")


def silent(shape: str) -> bool:
    return SHAPES[shape].goes_silent


@pytest.fixture(scope="module")
def run_cells(live_runs):
    """Run cells at once: each a case of its own, whose shape answers the sample's first
    request and its retries, in the worker pool (retries without sleeps); a client without
    its own timeout gives up after SILENT_READ_TIMEOUT on a shape that goes silent (for
    SILENCE here), after UNHURRIED_READ_TIMEOUT on any other."""
    emulator = live_runs.emulator

    def run(cells: list[tuple[matrix.Sample, str]]) -> list[runner.Run]:
        names = [f"cell{n}" for n in range(len(cells))]
        jobs = [
            pool.routed(
                SPECIAL.get(sample.name) or Case(sample.name, sample.path),
                name,
                emulator.add_case(
                    name, Fault(shape=shape, stall_seconds=SILENCE if silent(shape) else 0.0)
                ),
                live_runs.curl,
                read_timeout=SILENT_READ_TIMEOUT if silent(shape) else UNHURRIED_READ_TIMEOUT,
            )
            for name, (sample, shape) in zip(names, cells, strict=True)
        ]
        runs = live_runs.pool.run(jobs)
        for name in names:
            emulator.case_log(name)
        return runs

    return run


@pytest.fixture(scope="module")
def results(run_cells) -> dict[tuple[str, str], runner.Run]:
    """Every cell's run, all at once."""
    cells = [tuple(p.values) for p in CELLS]
    return {(s.name, shape): run for (s, shape), run in zip(cells, run_cells(cells), strict=True)}


def prints_text(sample: matrix.Sample, results) -> bool:
    """Whether the sample shows the answer's text: judged on the plain text shape."""
    facts = matrix.facts(SHAPES["text"], sample.request)
    return facts.text[: matrix.PREFIX] in results[(sample.name, "text")].output


@pytest.fixture(scope="session")
def outcomes(request):
    """Every cell's outcome; under `make outputs`, written to the page at the end."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    if request.config.getoption("--update-outputs") and hasattr(request.config, "workerinput"):
        pytest.fail("the matrix page is written by one process: run `make outputs`, not -n")
    yield found
    if request.config.getoption("--update-outputs") and found:
        write_page(found)


@pytest.mark.parametrize(("sample", "shape"), CELLS)
def test_sample_survives_the_answer(sample, shape, results, outcomes, request):
    if sample.path.suffix == ".sh" and not shutil.which("curl"):
        pytest.fail("curl is not installed: the curl sample needs it", pytrace=False)
    facts = matrix.facts(SHAPES[shape], sample.request, retries=sample.uses_sdk)
    result = results[(sample.name, shape)]
    problems = matrix.verdict(sample, shape, facts, result, prints_text(sample, results))
    if result.crash and facts.failure and not sample.handles_errors:
        if not matrix.page_links_troubleshooting(sample, pages_text()):
            problems.append(
                f"{rel(sample.path)} raises on shape {shape!r} ({result.crash}), and no page "
                f"that shows it links {matrix.TROUBLESHOOTING}: add the link"
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)

    outcome = cell_outcome(result)
    outcomes[(sample.name, shape)] = outcome
    if not request.config.getoption("--update-outputs"):
        shown = page_cells().get((sample.name, shape))
        if shown != outcome:
            pytest.fail(
                f"{rel(PAGE)} shows {sample.name} against {shape!r} as {describe(shown)}, "
                f"but it {describe(outcome)}. The table is generated: run `make outputs`.",
                pytrace=False,
            )


def test_page_lists_exactly_the_cells():
    listed = set(page_cells())
    cells = {(p.values[0].name, p.values[1]) for p in CELLS}
    extra, missing = sorted(listed - cells), sorted(cells - listed)
    assert not extra and not missing, (
        f"{rel(PAGE)} is out of date (cells it lists that do not exist: {extra[:5]}; "
        f"cells it lacks: {missing[:5]}). It is generated: run `make outputs`."
    )


def test_the_page_says_which_read_timeouts_the_runs_use():
    """T35: the stall rows' verdicts depend on the read timeout the runs give clients
    without their own (2 s on a silent shape, 10 s on the others), on the silence (6 s
    here) and on the timeouts the samples set; the page names each."""
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    fast = f"{SILENT_READ_TIMEOUT:g} s"
    default = f"{sdk_internals.DEFAULT_TIMEOUT.read:g} s"
    silent = [f"`{name}`" for name, shape in SHAPES.items() if shape.goes_silent]
    assert silent, "no shape of the matrix stalls"
    listed = " and ".join([", ".join(silent[:-1]), silent[-1]] if len(silent) > 1 else silent)
    assert f"gets a read timeout of {fast} here on the shapes that go silent ({listed})" in text
    assert f"not the SDK's {default}" in text
    assert f"on every other shape {UNHURRIED_READ_TIMEOUT:g} s" in text
    assert f"here the silence lasts {SILENCE:g} s, not the shape's own" in text
    # the generated faults: a stall's timeouts, and a sample's own outside a stall
    assert f"is cut to {variants.STALL_READ_TIMEOUT:g} s too ({variants.READ_CAP:g} s in" in text
    for path in sorted({s.path for s in SAMPLES if s.path.suffix == ".py"}):
        # Timeout(ALL, read=READ, ...): the read timeout is READ if given, else ALL
        for call in re.findall(r"Timeout\(\s*[\d.]+[^)]*\)", path.read_text()):
            read = re.search(r"read=([\d.]+)", call) or re.search(r"\(\s*([\d.]+)", call)
            said = f"`{path.stem}` (read {float(read[1]):g} s)"
            assert said in text, f"{rel(PAGE)} does not say {said}"


def test_every_sample_that_sends_a_request_is_in_the_matrix():
    in_matrix = {p.values[0].name for p in CELLS}
    silent = {name for name, case in SPECIAL.items() if not case.uses_api}
    # a .py file named in NAMED_TESTS is no script (a reader's test file)
    scripts = [p for p in SNIPPETS.glob("*.py") if p.name not in NAMED_TESTS]
    snippets = {p.stem for p in [*scripts, *SNIPPETS.glob("*.sh")]}
    snippets |= {f"ts/{p.stem}" for p in typescript_samples()}
    assert in_matrix == snippets - silent, (
        f"samples outside the matrix: {sorted(snippets - silent - in_matrix)} "
        "(record their cassettes with `make record`)"
    )


ASSUMES_A_TOOL_CALL = """
import anthropic

client = anthropic.Anthropic()
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
    messages=[{"role": "user", "content": "Weather in Paris?"}],
) as stream:
    message = stream.get_final_message()
call = next(block for block in message.content if block.type == "tool_use")
print(call.name, call.input)
"""


def test_a_sample_that_assumes_the_tool_is_called_fails_by_name(run_cells, tmp_path):
    """The mistake that crashed 5 of 97 real runs: the model answered in text instead."""
    snippet = tmp_path / "assumes_a_tool_call.py"
    snippet.write_text(ASSUMES_A_TOOL_CALL, encoding="utf-8")
    request = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 1024,
        "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
        "messages": [{"role": "user", "content": "Weather in Paris?"}],
    }
    sample = matrix.Sample(snippet, request)
    assert compatible(SHAPES["tools_text_only"], request)
    called, text_only = run_cells([(sample, "tool_use"), (sample, "tools_text_only")])
    assert not matrix.verdict(
        sample, "tool_use", matrix.facts(SHAPES["tool_use"], request), called, False
    ), "the recorded answer (a tool call) is handled"
    facts = matrix.facts(SHAPES["tools_text_only"], request)
    problems = matrix.verdict(sample, "tools_text_only", facts, text_only, False)
    assert problems, "a text-only answer must fail this sample"
    assert str(snippet) in problems[0] and "'tools_text_only'" in problems[0]
    assert "crashed with StopIteration" in problems[0]


# --- the page ---------------------------------------------------------------------------


def cell_outcome(result: runner.Run) -> tuple[int, str]:
    """(column, detail): 0 completes, 1 stops with a message (exit code), 2 raises (what)."""
    if result.crash:
        return (2, result.crash.split(":")[0])
    if result.exit_code == 0:
        return (0, "")
    return (1, f"exit {result.exit_code}")


def describe(outcome: tuple[int, str] | None) -> str:
    if outcome is None:
        return "missing"
    column, detail = outcome
    return COLUMNS[column] + (f" ({detail})" if detail else "")


_GROUP = re.compile(
    r"(?P<names>(?:`[\w/]+`(?:, )?)+|every (?:other )?sample)(?: \((?P<detail>[^)]*)\))?"
)
EVERY_OTHER = "every other sample"


def compatible_samples(shape: str) -> set[str]:
    return {p.values[0].name for p in CELLS if p.values[1] == shape}


@functools.cache  # read once per run: every cell looks itself up in the same page
def page_cells() -> dict[tuple[str, str], tuple[int, str]]:
    """The cells the page shows. A row is `| `shape`<br>what it is | outcomes |`, the
    outcomes one `**Label:** groups` per line, a group being `sample` names with the
    detail they share; the largest group of a row may say "every other sample" (every
    sample of the row not named elsewhere) or "every sample"."""
    text = PAGE.read_text(encoding="utf-8")
    [(_, rows)] = tables(text[text.index(START) : text.index(END)])
    labels = {column.capitalize(): n for n, column in enumerate(COLUMNS)}
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    for parts in rows[1:]:
        if len(parts) != 2 or not parts[0].startswith("`"):
            continue
        shape, rest = parts[0].split("`")[1], None
        for outcome in parts[1].split("<br>"):
            label, _, entries = outcome.partition(":** ")
            column = labels[label.strip("* ")]
            for group in _GROUP.finditer(entries):
                if group["names"].startswith("every"):
                    rest = (column, group["detail"] or "")
                    continue
                for name in re.findall(r"`([\w/]+)`", group["names"]):
                    cells[(name, shape)] = (column, group["detail"] or "")
        if rest is not None:
            for name in compatible_samples(shape) - {n for n, s in cells if s == shape}:
                cells[(name, shape)] = rest
    return cells


def write_page(found: dict[tuple[str, str], tuple[int, str]]) -> None:
    rows = ["| Answer shape | What the samples do |", "| --- | --- |"]
    for name, shape in SHAPES.items():
        outcomes = {s: o for (s, n), o in found.items() if n == name}
        if not outcomes:
            continue
        groups: dict[tuple[int, str], list[str]] = {}
        for sample, outcome in sorted(outcomes.items()):
            groups.setdefault(outcome, []).append(sample)
        largest = max(groups, key=lambda o: len(groups[o]))
        columns: list[list[str]] = [[] for _ in COLUMNS]
        for (column, detail), samples in sorted(groups.items()):
            named = ", ".join(f"`{s}`" for s in samples)
            if (column, detail) == largest and len(samples) > 3:
                named = EVERY_OTHER if len(groups) > 1 else "every sample"
            columns[column].append(named + (f" ({detail})" if detail else ""))
        lines = [
            f"**{COLUMNS[n].capitalize()}:** "
            + "; ".join(sorted(groups_, key=lambda g: g.startswith("every")))
            for n, groups_ in enumerate(columns)
            if groups_
        ]
        rows.append(f"| `{name}`<br>{shape.description} | {'<br>'.join(lines)} |")
    text = PAGE.read_text(encoding="utf-8")
    before, after = text[: text.index(START) + len(START)], text[text.index(END) :]
    PAGE.write_text(before + "\n" + "\n".join(rows) + "\n" + after, encoding="utf-8")


@functools.cache
def pages_text() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}


def test_every_typescript_sample_completes_the_stall_as_the_page_says(results):
    """After the headers Node's fetch waits 300 s for a silent body: the stall (6 s here) is
    waited out by every TypeScript sample, which the timeouts paragraph explains."""
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert "why every `ts/` sample completes in the `stall` row" in text
    stalled = {name: run for (name, shape), run in results.items() if shape == "stall"}
    typescript = {name: run for name, run in stalled.items() if name.startswith("ts/")}
    assert typescript and all(run.exit_code == 0 for run in typescript.values()), {
        name: run.output[-200:] for name, run in typescript.items() if run.exit_code
    }
    # ...and the silence they waited out was the lengthened one (the emulator's override)
    assert all(run.seconds >= SILENCE for run in typescript.values()), {
        name: round(run.seconds, 1) for name, run in typescript.items()
    }
