"""Fixtures shared by the whole suite: cassette config, recording target, retry speed."""

from __future__ import annotations

import os

import pytest

from streamdocs import environment, sdk_internals
from streamdocs.paths import CASSETTES
from streamdocs.recording import cassettes
from streamdocs.recording import session as recording_session
from streamdocs.samples import cases
from streamdocs.site import build as site

pytest_plugins = ("streamdocs.leftovers",)  # a run that leaves a process running fails

# A real key is never needed to replay, and must never reach a recording.
REPLAY_KEY = "replay-needs-no-key"


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="write snippets/output/*.txt from this run instead of comparing (make outputs)",
    )
    parser.addoption(
        "--sample",
        action="append",
        default=[],
        help="only the runs of this sample (`make record NAME=`): its cases, its matrix cells",
    )


# Tests that share a costly fixture run on one xdist worker, so it is made once (each
# worker would make its own); each group is still spread against the rest.
SHARED_FIXTURE_GROUPS = {"built_site": "site", "zensical_site": "site", "scratch_run": "scratch"}


@pytest.hookimpl(tryfirst=True)  # before xdist names each item's group
def pytest_collection_modifyitems(config, items):
    """`--sample NAME`: only that sample's runs (a case named NAME_x belongs to it too).
    Recording live, a case that forces an emulator scenario keeps its cassette (skipped at
    collection, before pytest-recording's rewrite mode empties the cassette)."""
    for item in items:
        groups = {SHARED_FIXTURE_GROUPS.get(name) for name in item.fixturenames} - {None}
        if len(groups) == 1 and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(groups.pop()))
    if names := config.getoption("--sample"):
        keep = [i for i in items if cases.item_of_sample(i, names)]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
    if config.getoption("--record-mode") == "none" or not os.environ.get("ANTHROPIC_API_KEY"):
        return
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if getattr(case, "scenario", None):
            reason = f"the live API cannot be made to answer {case.scenario!r}: kept as recorded"
            item.add_marker(pytest.mark.skip(reason=reason))


RECORDING = pytest.StashKey[object]()
TYPESCRIPT_CASSETTE = pytest.StashKey[bool]()  # tests/test_samples.py: a ts/ case's cassette


def pytest_recording_configure(config, vcr):
    # Our readable format replaces vcrpy's default YAML under the same name; it writes
    # only while a recording session has said where the answers come from (and which SDK).
    recording = config.stash.get(RECORDING, None) if config is not None else None
    ts = config is not None and config.stash.get(TYPESCRIPT_CASSETTE, False)
    vcr.register_serializer("yaml", cassettes.Format(recording and recording.provenance(ts)))


@pytest.fixture
def vcr_config():
    return cassettes.vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(CASSETTES)


@pytest.fixture(scope="session")
def recording(record_mode, pytestconfig):
    """None while replaying (the default); a Recording under `make record`."""
    if record_mode == "none":
        yield None
        return
    with recording_session() as recording:
        pytestconfig.stash[RECORDING] = recording
        try:
            yield recording
        finally:
            del pytestconfig.stash[RECORDING]


@pytest.fixture
def fast_sdk(monkeypatch):
    """For live runs against the emulator's failure shapes (the answer matrix, the guides'
    live tests): the SDK patched as streamdocs.sdk_internals.fast says, and nothing else."""
    sdk_internals.fast(monkeypatch)


@pytest.fixture
def instant_retries(monkeypatch, recording):
    """Replayed (or emulated) retries need no real back-off or `retry-after` wait."""
    if recording is None or recording.emulator is not None:
        sdk_internals.no_retry_wait(monkeypatch)


@pytest.fixture
def sample_env(monkeypatch, recording, tmp_path_factory):
    """Give a sample only the ANTHROPIC_* environment its run defines (streamdocs.environment)."""

    def apply(scenario: str | None = None, extra: dict[str, str | None] | None = None):
        env = recording.env(scenario) if recording else {"ANTHROPIC_API_KEY": REPLAY_KEY}
        env.update(extra or {})
        changes = environment.overlay(env, tmp_path_factory.mktemp("home"))
        environment.apply(
            changes, monkeypatch.setenv, lambda name: monkeypatch.delenv(name, raising=False)
        )

    return apply


@pytest.fixture
def emulator_env(sample_env):
    """Point the samples run in this process at a live emulator: its URL, a key it takes."""
    from streamdocs.samples.matrix import KEY

    def apply(emulator) -> None:
        sample_env(None, {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": emulator.url})

    return apply


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once with `mkdocs build --strict`; a failure shows mkdocs' own words."""
    return site.built(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory):
    """The same sources built once by Zensical (`make zensical`), in a scratch copy."""
    from streamdocs.site import zensical

    return zensical.build_copy(tmp_path_factory.mktemp("zensical"))


@pytest.fixture(scope="session")
def live_runs(tmp_path_factory):
    """One per process: the answer matrix and the generated faults share it (both are in
    the xdist group "live-runs", so one worker runs them, the other the rest)."""
    from streamdocs.samples import pool

    with pool.live_runs(tmp_path_factory.mktemp("tls")) as runs:
        yield runs
