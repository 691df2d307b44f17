"""Every sample against the breaks generated from its own recording (streamdocs/samples/
variants.py): cut after each event and inside characters, stalled at each phase, other
models, each credential source unusable or absent. Run at once in a worker pool, live
against one emulator that serves each run its own break; one test per sample and class,
so a failure names both. `make fuzz` explores further."""

from __future__ import annotations

import pytest

from streamdocs.emulator import Emulator
from streamdocs.loopback import api_certificate
from streamdocs.samples import matrix, pool, variants

SAMPLES = matrix.samples()
PARAMS = [
    pytest.param(sample, kind, id=f"{sample.name}-{kind}")
    for sample in SAMPLES
    for kind in variants.CLASSES
    if any(v.kind == kind for v in variants.generate(sample))
]
# One worker owns them all: the variants run together, at once, in its pool.
pytestmark = pytest.mark.xdist_group("generated-faults")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every sample's variants, run once: (variant, what the sample did, what arrived)."""
    folder = tmp_path_factory.mktemp("tls")
    context, ca_file = api_certificate(folder)
    every = [v for sample in SAMPLES for v in variants.generate(sample)]
    with Emulator(tls=context) as emulator, pool.Pool(pool.size()) as workers:
        return variants.run(every, emulator, workers, (emulator.tls_port, ca_file))


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
