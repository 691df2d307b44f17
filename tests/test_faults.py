"""The site's complete example under every fault the emulator can stage, live on loopback.

Each run is the unmodified snippets/complete_example.py (runpy, as the sample tests
run it) against a forced emulator scenario. A fault must end in a clear message and
the documented exit code, and no character streamed before it may be lost.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
import time

import pytest

from streamdocs.emulator import Emulator
from streamdocs.paths import SNIPPETS, rel
from streamdocs.samples import faults

pytestmark = pytest.mark.live

SAMPLE = rel(faults.COMPLETE_EXAMPLE.snippet)


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def runs(emulator):
    """Each scenario run once (a stall costs a read timeout), looked up by name."""
    cache: dict[str, faults.FaultRun] = {}

    def get(scenario: str) -> faults.FaultRun:
        if scenario not in cache:
            [fault] = [fault for fault in faults.FAULTS if fault.scenario == scenario]
            cache[scenario] = faults.run_complete_example(emulator, fault)
        return cache[scenario]

    return get


@pytest.mark.parametrize("fault", faults.FAULTS, ids=lambda fault: fault.scenario)
def test_complete_example_survives(runs, fault):
    run = runs(fault.scenario)

    assert run.exit_code == fault.exit_code, (
        f"{SAMPLE} exited {run.exit_code} on scenario {fault.scenario}, expected "
        f"{fault.exit_code}. It printed:\n{run.output}"
    )
    assert fault.message in run.said, (
        f"{SAMPLE} on scenario {fault.scenario} did not say {fault.message!r}. "
        f"It printed:\n{run.output}"
    )
    assert run.requests == fault.requests, (
        f"scenario {fault.scenario}: the SDK made {run.requests} requests, "
        f"expected {fault.requests} (retries included)"
    )
    assert run.characters_lost == 0, (
        f"{SAMPLE} on scenario {fault.scenario} lost {run.characters_lost} characters: "
        f"the emulator sent {run.sent!r}, the sample printed {run.printed!r}"
    )
    if fault.exit_code == 1 and run.sent:
        # A partial answer is kept and counted, not silently dropped.
        assert run.printed == run.sent
        assert f"kept the {len(run.sent)} characters above" in run.output


def test_cut_and_stall_happen_mid_answer(emulator, runs):
    """The interrupted scenarios really interrupt text (else "0 lost" proves nothing)."""
    for scenario in ("connection_cut", "stall", "error_event"):
        run = runs(scenario)
        full = emulator.scenarios[scenario].reply(0).content[0]["text"]
        assert 0 < len(run.sent) < len(full), (
            f"scenario {scenario} sent {len(run.sent)} of {len(full)} characters: "
            "expected a partial answer (see streamdocs/emulator/scenarios/{scenario}.yaml)"
        )


def test_gzip_stream_arrives_compressed_and_intact(emulator, runs):
    run = runs("gzip")
    assert run.content_encoding == "gzip", "the emulator did not compress: is gzip: true set?"
    full = emulator.scenarios["gzip"].reply(0).content[0]["text"]
    assert run.printed == full


class TimedWrites:
    """A stdout that remembers when each piece of text was written."""

    def __init__(self):
        self.writes: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((time.perf_counter(), text))
        return len(text)

    def flush(self) -> None:
        pass


def test_text_arrives_incrementally(monkeypatch):
    """With 50 ms between events, the first words print long before the last."""
    snippet = SNIPPETS / "text_stream.py"
    expected = (SNIPPETS / "output" / "text_stream.txt").read_text(encoding="utf-8")
    out = TimedWrites()
    with Emulator(delay=0.05) as emu:
        monkeypatch.setenv("ANTHROPIC_API_KEY", faults.FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", emu.base_url())
        monkeypatch.setattr(sys, "argv", [str(snippet)])
        start = time.perf_counter()
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(snippet), run_name="__main__")

    assert "".join(text for _, text in out.writes) == expected
    text_writes = [when for when, text in out.writes if text.strip()]
    assert len(text_writes) >= 3, (
        f"{rel(snippet)} printed its answer in {len(text_writes)} piece(s)"
    )
    first, last = text_writes[0] - start, text_writes[-1] - start
    # Generous bounds: figures belong in `make bench`; this only proves streaming happens.
    assert last - first >= 0.05 * (len(text_writes) - 1) * 0.5, (
        f"first text at {first:.3f} s, last at {last:.3f} s: the text did not arrive as sent"
    )
    assert first <= last - 0.1, f"first text at {first:.3f} s is not well before {last:.3f} s"
