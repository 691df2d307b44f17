"""Fixtures shared by the whole suite: cassette config, recording target, retry speed."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from importlib.metadata import version

import pytest

from tests.support import cassette_format, sdk_internals, site
from tests.support.paths import CASSETTES

# A real key is never needed to replay, and must never reach a recording.
REPLAY_KEY = "replay-needs-no-key"
EMULATOR_KEY = "sk-ant-emulator-recording"


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="write snippets/output/*.txt from this run instead of comparing (make outputs)",
    )


def pytest_recording_configure(config, vcr):
    # Our readable format replaces vcrpy's default YAML under the same name.
    vcr.register_serializer("yaml", cassette_format)


@pytest.fixture
def vcr_config():
    return cassette_format.vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(CASSETTES)


class Recording:
    """Where requests go while recording: the live API with a real key, else the emulator."""

    def __init__(self, emulator=None, live_key: str | None = None):
        self.emulator = emulator
        self.live_key = live_key

    @property
    def source(self) -> str:
        return "live API" if self.live_key else "local emulator"

    def provenance(self) -> dict:
        return {
            "source": self.source,
            "recorded_at": datetime.now(UTC).strftime("%Y-%m-%d"),
            "anthropic_sdk": version("anthropic"),
        }

    def env(self, scenario: str | None) -> dict[str, str]:
        if self.live_key:
            return {"ANTHROPIC_API_KEY": self.live_key}
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
        yield from _recording_session(Recording(live_key=live_key))
        return
    from tests.emulator import Emulator

    with Emulator() as emulator:
        yield from _recording_session(Recording(emulator=emulator))


def _recording_session(recording: Recording):
    cassette_format.provenance = recording.provenance()
    before = {path: path.read_text(encoding="utf-8") for path in CASSETTES.glob("*.yaml")}
    try:
        yield recording
    finally:
        cassette_format.provenance = None
        cassette_format.keep_unchanged(before)


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once with `mkdocs build --strict`; a failure shows mkdocs' own words."""
    site_dir = tmp_path_factory.mktemp("site")
    result = site.build(site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return site_dir
