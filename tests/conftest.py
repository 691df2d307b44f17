"""Fixtures shared by the whole suite: cassette config, recording target, retry speed."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from importlib.metadata import version

import pytest

from streamdocs import sdk_internals
from streamdocs.paths import CASSETTES
from streamdocs.recording import cassettes, model_swap

# The fixture that patches SDK internals for live runs lives beside what it patches.
from streamdocs.sdk_internals import fast_sdk  # noqa: F401, E402
from streamdocs.site import build as site

# A real key is never needed to replay, and must never reach a recording.
REPLAY_KEY = "replay-needs-no-key"
EMULATOR_KEY = "sk-ant-emulator-recording"


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="write snippets/output/*.txt from this run instead of comparing (make outputs)",
    )


def pytest_collection_modifyitems(config, items):
    """Recording live, a case that forces an emulator scenario keeps its cassette.

    Skipped at collection, before pytest-recording's rewrite mode empties the cassette.
    """
    if config.getoption("--record-mode") == "none" or not os.environ.get("ANTHROPIC_API_KEY"):
        return
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if getattr(case, "scenario", None):
            reason = f"the live API cannot be made to answer {case.scenario!r}: kept as recorded"
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_recording_configure(config, vcr):
    # Our readable format replaces vcrpy's default YAML under the same name.
    vcr.register_serializer("yaml", cassettes)


@pytest.fixture
def vcr_config():
    return cassettes.vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(CASSETTES)


class Recording:
    """Where requests go while recording: the live API with a real key, else the emulator.

    With a key, LIVE_API_URL (default: the SDK's own, the real API) is where requests
    go, so the live path can be run against the emulator standing in for the API,
    and RECORD_MODEL, if set, answers every request in place of the sample's model
    (streamdocs/recording/model_swap.py).
    """

    def __init__(
        self,
        emulator=None,
        live_key: str | None = None,
        api_url: str | None = None,
        model: str | None = None,
    ):
        self.emulator = emulator
        self.live_key = live_key
        self.api_url = api_url
        self.model = model

    @property
    def source(self) -> str:
        if not self.live_key:
            return "local emulator"
        if self.model:
            return f"live API ({self.model} answering in place of the model the sample names)"
        return "live API"

    def provenance(self) -> dict:
        return {
            "source": self.source,
            "recorded_at": datetime.now(UTC).strftime("%Y-%m-%d"),
            "anthropic_sdk": version("anthropic"),
        }

    def env(self, scenario: str | None) -> dict[str, str]:
        if self.live_key:
            env = {"ANTHROPIC_API_KEY": self.live_key}
            if self.api_url:
                env["ANTHROPIC_BASE_URL"] = self.api_url
            return env
        self.emulator.begin_run(None)  # a cold prompt cache: recordings do not depend on order
        return {
            "ANTHROPIC_API_KEY": EMULATOR_KEY,
            "ANTHROPIC_BASE_URL": self.emulator.base_url(scenario),
        }


@pytest.fixture(scope="session")
def recording(record_mode):
    """None while replaying (the default); a Recording under `make record`."""
    if record_mode == "none":
        yield None
        return
    live_key = os.environ.get("ANTHROPIC_API_KEY")
    if live_key:
        live = Recording(
            live_key=live_key,
            api_url=os.environ.get("LIVE_API_URL") or None,
            model=os.environ.get("RECORD_MODEL") or None,
        )
        with model_swap.swapped_model(live.model) if live.model else contextlib.nullcontext():
            yield from _recording_session(live)
        return
    from streamdocs.emulator import Emulator

    with Emulator() as emulator:
        yield from _recording_session(Recording(emulator=emulator))


def _recording_session(recording: Recording):
    cassettes.provenance = recording.provenance()
    before = {path: path.read_text(encoding="utf-8") for path in CASSETTES.glob("*.yaml")}
    try:
        yield recording
    finally:
        cassettes.provenance = None
        cassettes.keep_unchanged(before)


@pytest.fixture
def instant_retries(monkeypatch, recording):
    """Replayed (or emulated) retries need no real back-off or `retry-after` wait."""
    if recording is None or recording.emulator is not None:
        sdk_internals.no_retry_wait(monkeypatch)


@pytest.fixture
def sample_env(monkeypatch, recording, tmp_path_factory):
    """Give a sample only the ANTHROPIC_* environment its run defines."""

    def apply(scenario: str | None = None, extra: dict[str, str | None] | None = None):
        for name in list(os.environ):
            if name.startswith("ANTHROPIC_"):
                monkeypatch.delenv(name)
        # an empty home: a writer's own SDK profile (~/.config/anthropic) never reaches a
        # run, and a run without a key finds no credential at all, as on a new machine
        monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        env = recording.env(scenario) if recording else {"ANTHROPIC_API_KEY": REPLAY_KEY}
        env.update(extra or {})
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

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
    site_dir = tmp_path_factory.mktemp("site")
    result = site.build(site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory):
    """The same sources built once by Zensical (`make zensical`), in a scratch copy: Zensical
    writes only inside the project, and keeps a cache there."""
    from streamdocs.paths import copy_project
    from streamdocs.site import zensical as build_zensical

    root = copy_project(
        tmp_path_factory.mktemp("zensical"), ["mkdocs.yml", "docs", "snippets", "cassettes"]
    )
    result = build_zensical.build(root / "site", root / "mkdocs.yml")
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout}\n{result.stderr}"
    return root / "site"
