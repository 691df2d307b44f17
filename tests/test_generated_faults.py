"""Every sample against the breaks generated from its own recording (streamdocs/samples/
variants.py): cut after each event and inside characters, stalled at each phase, other
models, each credential source unusable or absent. Run at once in a worker pool, live
against one emulator that serves each run its own break; one test per sample and class,
so a failure names both. `make fuzz` explores further.

The last tests show the verdicts catch what they are for: samples written wrong on purpose
(scratch files named after real samples, so they are broken from those recordings)."""

from __future__ import annotations

import pytest

from streamdocs.paths import ANSWER_MATRIX, rel
from streamdocs.samples import matrix, variants

SAMPLES = matrix.samples()
PARAMS = [
    pytest.param(sample, kind, id=f"{sample.name}-{kind}")
    for sample in SAMPLES
    for kind in variants.CLASSES
    if any(v.kind == kind for v in variants.generate(sample))
]
# One worker owns them all: the variants run together, at once, in its pool.
pytestmark = pytest.mark.xdist_group("live-runs")


@pytest.fixture(scope="module")
def harness(live_runs):
    """Run variants, at once, on the emulator and pool the answer matrix uses too."""
    return lambda batch: variants.run(batch, live_runs.emulator, live_runs.pool, live_runs.curl)


@pytest.fixture(scope="module")
def outcomes(harness):
    """Every sample's variants, run once: (variant, what the sample did, what arrived)."""
    return harness([v for sample in SAMPLES for v in variants.generate(sample)])


@pytest.mark.parametrize(("sample", "kind"), PARAMS)
def test_sample_survives_its_generated_faults(sample, kind, outcomes):
    mine = [(v, run, log) for v, run, log in outcomes if v.sample == sample and v.kind == kind]
    assert mine, f"no {kind} variant ran for {sample.name}"
    problems = [p for v, run, log in mine for p in variants.judge(v, run, log)]
    if problems:
        shown = "\n".join(problems[:8])
        more = f"\n... and {len(problems) - 8} more" if len(problems) > 8 else ""
        pytest.fail(
            f"{len(problems)} of {len(mine)} {kind} variants of {sample.name} failed:\n"
            f"{shown}{more}",
            pytrace=False,
        )


# --- the verdicts catch what they are for ------------------------------------------------

REQUEST = """
    with client.messages.stream(
        model=MODEL,
        max_tokens=1024,
        messages=[{"role": "user", "content": PROMPT}],
    ) as stream:"""
HEAD = """import sys

import anthropic

client = anthropic.Anthropic()
MODEL = sys.argv[1] if len(sys.argv) > 1 else "claude-sonnet-5-5"
PROMPT = "How do I recover when a stream breaks? Answer in one paragraph."
"""
WRONG = {
    "a clean early end taken for success": HEAD
    + "try:"
    + REQUEST
    + """
        for text in stream.text_stream:
            print(text, end="", flush=True)
        message = stream.get_final_message()
except anthropic.APIError as err:
    sys.exit(f"failed: {err}")
print(f"\\nstop_reason: {message.stop_reason}")
""",
    "text lost at a cut": HEAD
    + "shown = []\ntry:"
    + REQUEST
    + """
        for text in stream.text_stream:
            shown.append(text)
    print("".join(shown))
except anthropic.APIError as err:
    sys.exit(f"failed: {err}")
""",
    "text printed twice when retried": HEAD
    + """for attempt in range(2):
    try:"""
    + REQUEST.replace("\n    ", "\n        ")
    + """
            for text in stream.text_stream:
                print(text, end="", flush=True)
        break
    except anthropic.APIError:
        print("[retrying]", file=sys.stderr)
""",
    "a model id it cannot read": HEAD
    + """major, minor = (int(n) for n in MODEL.split("-")[2:4])
try:"""
    + REQUEST
    + """
        print(stream.get_final_text())
except anthropic.APIError as err:
    sys.exit(f"failed: {err}")
""",
}
CAUGHT = {
    "a clean early end taken for success": ("cut", "ended cleanly after event", "never arrived"),
    "text lost at a cut": ("cut", "dropped after event", "lost text that had arrived"),
    "text printed twice when retried": ("cut", "dropped after event", "printed text twice"),
    "a model id it cannot read": ("model", "given model claude-mythos-preview", "crashed with"),
}


@pytest.mark.parametrize("mistake", WRONG)
def test_a_sample_written_wrong_fails_naming_sample_variant_and_fix(mistake, harness, tmp_path):
    path = tmp_path / "recover_stream.py"  # broken from recover_stream's recording
    path.write_text(WRONG[mistake], encoding="utf-8")
    [real] = [s for s in SAMPLES if s.name == "recover_stream"]
    sample = matrix.Sample(path, real.request)
    kind, variant, said = CAUGHT[mistake]
    batch = [v for v in variants.generate(sample) if v.kind == kind and variant in v.label]
    problems = [p for v, run, log in harness(batch) for p in variants.judge(v, run, log)]
    assert problems, f"no variant caught {mistake}"
    found = next((p for p in problems if said in p), None)
    assert found, f"{mistake}: none says {said!r}:\n" + "\n".join(problems[:3])
    assert str(path.name) in found and variant in found and "Fix:" in found


# --- the answer-matrix page's summary of them --------------------------------------------


def test_the_matrix_page_summarises_what_each_sample_did(outcomes, request):
    """The grid of generated variants per sample on docs/reference/answer-matrix.md is this
    run's; `make outputs` writes it."""
    page = ANSWER_MATRIX.read_text(encoding="utf-8")
    start, end = page.index(variants.SUMMARY_START), page.index(variants.SUMMARY_END)
    fresh = variants.summary(outcomes)
    if request.config.getoption("--update-outputs"):
        head = page[: start + len(variants.SUMMARY_START)]
        ANSWER_MATRIX.write_text(f"{head}\n{fresh}\n{page[end:]}", encoding="utf-8")
        return
    shown = page[start + len(variants.SUMMARY_START) : end].strip()
    assert shown == fresh, (
        f"{rel(ANSWER_MATRIX)}'s summary of the generated variants is not this run's: "
        "it is generated, run `make outputs`"
    )


def test_stalls_outlast_every_samples_timeout_but_curls_which_waits_them_out(outcomes):
    """The page: in a stall run a client gives up after 1.5 s (the TypeScript relay too, a
    server sample run in the Node workers) and a stall lasts 5 s; curl sets no timeout."""
    page = " ".join(ANSWER_MATRIX.read_text(encoding="utf-8").split())
    assert "`curl_stream` sets no timeout: it waits each stall out." in page
    said = f"Here a client gives up after {variants.STALL_READ_TIMEOUT:g} s of silence and a "
    assert said + f"stall lasts {variants.STALL:g} s" in page
    stalls = [(v, run) for v, run, _ in outcomes if v.kind == "stall"]
    waited = {v.sample.name for v, run in stalls if run.seconds >= variants.STALL}
    assert "curl_stream" in waited
    # A TypeScript sample's own timeout is not cut: it bounds the wait for the headers, and
    # Node's wait for a silent body (cut to the stall's timeout) the rest.
    assert "A TypeScript sample's own `timeout` is not cut" in page
    for name in ("ts/relay_app", "ts/recover_stream"):  # each sets a timeout of its own
        runs = {v.fault.stall_at: run.seconds for v, run in stalls if v.sample.name == name}
        assert runs.pop("headers") >= variants.STALL, f"{name} gave up before the headers"
        assert runs and all(0 < seconds < variants.STALL for seconds in runs.values()), (
            f"{name} waited out a stall after the headers: Node's body wait was not cut ({runs} s)"
        )
