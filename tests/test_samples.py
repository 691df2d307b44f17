"""Every sample on the site runs here: replayed from its cassette, output compared.

`make record` re-records the cassettes (and then the outputs); `make outputs`
rewrites the outputs alone. Nothing in this file changes when a sample is added.
"""

from __future__ import annotations

import os

import pytest

from streamdocs.paths import ROOT, SNIPPETS, rel
from streamdocs.recording.relay import relaying
from streamdocs.samples import runner
from streamdocs.samples.cases import NAMED_TESTS, all_cases
from tests.conftest import TYPESCRIPT_CASSETTE

CASES = all_cases()


@pytest.fixture
def default_cassette_name(request):
    # One stem per case: cassettes/<name>.yaml (a TypeScript case's name is ts/<name>). Its
    # language decides the provenance the cassette is written with (tests/conftest.py).
    case = request.node.callspec.params["case"]
    request.config.stash[TYPESCRIPT_CASSETTE] = case.typescript
    yield case.name
    del request.config.stash[TYPESCRIPT_CASSETTE]


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.name, marks=pytest.mark.vcr) for case in CASES]
)
def test_sample(case, vcr, recording, sample_env, instant_retries, request):
    if recording is None and case.uses_api and not case.cassette.exists():
        pytest.fail(runner.missing_cassette_message(case), pytrace=False)

    sample_env(case.scenario, case.env)
    miss = None
    try:
        with runner.misses_raise_at_once():
            if case.typescript:  # Node's requests reach vcrpy through a loopback relay
                with relaying(recording, case.name, case.scenario) as (relay, server):
                    # always the relay, so a Node run can never reach the network
                    env = {**os.environ, "ANTHROPIC_BASE_URL": server.url}
                    result = runner.run_case(case, env=env)
                miss = relay.misses[0] if relay.misses else None
            else:
                result = runner.run_case(case)
    except runner.CassetteMiss as error:
        miss = error
    if miss:
        pytest.fail(runner.stale_cassette_message(case, miss), pytrace=False)

    if result.exit_code != case.exit_code:
        pytest.fail(
            f"{rel(case.snippet)} exited {result.exit_code}, expected {case.exit_code}. "
            f"It printed:\n{result.output}",
            pytrace=False,
        )
    if case.uses_api and recording is None and not vcr.all_played:
        pytest.fail(
            f"{rel(case.cassette)} holds requests {rel(case.snippet)} no longer sends: "
            f"re-record with `make record NAME={case.name}`.",
            pytrace=False,
        )
    if not case.uses_api and len(vcr.data):
        pytest.fail(
            f"{rel(case.snippet)} made a request, but case {case.name} is marked uses_api=False "
            "in streamdocs/samples/cases.py",
            pytrace=False,
        )

    if case.pace is not None:
        return  # its output comes from the paced live run (tests/test_paced_samples.py)
    update = request.config.getoption("--update-outputs") or recording is not None
    # an app's body may hold ids its store makes up (runner.masked)
    mask = case.kind == "app"
    runner.check_output(case.name, case.snippet, case.output, result.output, update, mask)


def test_every_sample_is_run_by_a_case_or_used_by_a_named_test():
    """A file under snippets/ that nothing runs would be untested code on a page."""
    run = {case.snippet.name for case in CASES}
    problems = []
    for path in sorted(SNIPPETS.iterdir()):
        if not path.is_file() or path.name == "ruff.toml" or path.name in run:
            continue
        test = NAMED_TESTS.get(path.name)
        if test is None:
            problems.append(
                f"snippets/{path.name} is run by no case: a .py sample runs as a case by "
                "itself; any other file needs the test that uses it named in NAMED_TESTS "
                "(streamdocs/samples/cases.py)"
            )
        elif path.stem not in (ROOT / test).read_text(encoding="utf-8"):
            problems.append(f"{test}, named for snippets/{path.name}, never mentions it")
    stale = sorted(set(NAMED_TESTS) - {p.name for p in SNIPPETS.iterdir()})
    problems += [f"NAMED_TESTS names snippets/{name}, which does not exist" for name in stale]
    assert not problems, "\n".join(problems)
