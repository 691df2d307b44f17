"""Run one sample in this process, as `python snippet.py` would, and capture what it prints.

In-process because a fresh interpreter per sample costs over a second each;
runpy gives the sample its own `__main__` namespace all the same.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import runpy
import sys
from dataclasses import dataclass

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.stubs import httpx_stubs

from streamdocs.paths import rel

from .cases import Case


class CassetteMiss(BaseException):
    """A request the cassette cannot answer.

    A BaseException on purpose: the SDK wraps any Exception from the transport
    in APIConnectionError and retries it, and a sample may catch that. This
    one passes through both, so a stale cassette fails at once and by name.
    """


@contextlib.contextmanager
def misses_raise_at_once():
    def raise_miss(*, cassette, failed_request):
        detail = CannotOverwriteExistingCassetteException(
            cassette=cassette, failed_request=failed_request
        )
        return CassetteMiss(str(detail))

    original = httpx_stubs.CannotOverwriteExistingCassetteException
    httpx_stubs.CannotOverwriteExistingCassetteException = raise_miss
    try:
        yield
    finally:
        httpx_stubs.CannotOverwriteExistingCassetteException = original


@dataclass
class Run:
    output: str
    exit_code: int


def run(case: Case) -> Run:
    """Execute the snippet as __main__; stdout and stderr interleave as in a terminal."""
    buffer = io.StringIO()
    exit_code = 0
    argv = sys.argv
    sys.argv = [str(case.snippet)]
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            runpy.run_path(str(case.snippet), run_name="__main__")
    except SystemExit as exit:
        exit_code = exit.code if isinstance(exit.code, int) else 1
        if exit.code is not None and not isinstance(exit.code, int):
            buffer.write(f"{exit.code}\n")
    finally:
        sys.argv = argv
    return Run(buffer.getvalue(), exit_code)


def run_app(case: Case) -> Run:
    """POST the case's request to the snippet's `app`; the streamed body is the output.

    The module is imported (not run as __main__, which would start no server) and
    driven in this process by Starlette's TestClient, as a browser would drive it.
    """
    from starlette.testclient import TestClient  # only app cases need it

    module = runpy.run_path(str(case.snippet), run_name=case.snippet.stem)
    with TestClient(module["app"]) as client:
        response = client.post(case.path, json=case.request)
    return Run(response.text, 0 if response.is_success else 1)


def stale_cassette_message(case: Case, miss: CassetteMiss) -> str:
    return (
        f"{case.name}: {rel(case.snippet)} sent a request that {rel(case.cassette)} "
        "does not hold (a changed prompt or parameter?).\n"
        "Re-record it with `make record`, then review the cassette diff.\n\n"
        f"{closest_match(miss)}"
    )


def closest_match(miss: CassetteMiss) -> str:
    # vcrpy's own advice names record modes; ours is `make record`.
    return str(miss).split("How to fix:")[0].strip()


def missing_cassette_message(case: Case) -> str:
    return (
        f"{case.name}: no cassette at {rel(case.cassette)} for {rel(case.snippet)}.\n"
        "Record it with `make record` (through the local emulator, or the live API "
        "when ANTHROPIC_API_KEY is set)."
    )


# The one rule that masks what a run cannot repeat: measured times and rates.
TIMINGS = re.compile(r"\b\d+(?:\.\d+)? (?=s\b|ms\b|tokens/s\b)")


def masked(text: str) -> str:
    return TIMINGS.sub("# ", text)


def check_output(
    name: str, snippet, output_path, actual: str, update: bool, mask: bool = False
) -> None:
    """Compare with the expected output the page shows, or rewrite it (`make outputs`)."""
    if update:
        output_path.write_text(actual, encoding="utf-8")
        return
    if mask and output_path.exists():
        expected = output_path.read_text(encoding="utf-8")
        if masked(actual) == masked(expected):
            return
    if not output_path.exists():
        pytest.fail(
            f"{name}: no expected output {rel(output_path)}: create it with `make outputs`",
            pytrace=False,
        )
    expected = output_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=rel(output_path),
            tofile="this run",
        )
        pytest.fail(
            f"{rel(snippet)} printed something other than {rel(output_path)} "
            "(the page shows that file). If the change is intended, run `make outputs`.\n\n"
            + "".join(diff),
            pytrace=False,
        )
