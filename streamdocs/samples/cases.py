"""The sample cases: every snippet under snippets/, plus the few special runs.

A writer adding an ordinary sample adds nothing here: each `snippets/*.py` is a
case named after its file, replayed from `cassettes/<name>.yaml` and checked
against `snippets/output/<name>.txt`; each TypeScript sample `snippets/ts/<name>.ts`
is case `ts/<name>`, so its cassette is `cassettes/ts/<name>.yaml` and its output
`snippets/output/ts/<name>.txt`, never the Python sample's of the same name. A case
that needs more (a forced emulator scenario, a different environment, a non-zero exit)
gets one line in SPECIAL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamdocs.paths import CASSETTES, OUTPUTS, SNIPPETS, TYPESCRIPT


@dataclass(frozen=True)
class Case:
    name: str  # one stem for the case, its cassette and its output file
    snippet: Path
    scenario: str | None = None  # emulator scenario forced while recording
    env: dict[str, str | None] = field(default_factory=dict)  # None removes a variable
    exit_code: int = 0
    uses_api: bool = True  # False: the run must not make a request at all
    # Seconds between events: the output comes from a live run against the emulator at
    # this pace (tests/test_paced_samples.py), its timings masked (runner.TIMINGS)
    pace: float | None = None
    # "script" runs as `python snippet.py`; "app" is a web app: its module's `app` gets
    # `request` (JSON) POSTed to `path`, and the streamed body is the output (runner.run_app)
    kind: str = "script"
    request: dict[str, Any] | None = None
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)  # sent with an app's request
    # What an app needs running ("redis": REDIS_URL names an empty redis-server)
    services: tuple[str, ...] = ()

    @property
    def cassette(self) -> Path:
        return CASSETTES / f"{self.name}.yaml"

    @property
    def output(self) -> Path:
        return OUTPUTS / f"{self.name}.txt"

    @property
    def typescript(self) -> bool:
        """Run by Node (runner.run_node), its requests answered through a loopback relay."""
        return self.snippet.suffix == ".ts"

    @property
    def sample(self) -> str:
        """The sample's name, shared by its Python and TypeScript files: `text_stream`."""
        return self.snippet.stem


def _special(snippet: str, name: str | None = None, **options) -> Case:
    """`snippet` is a Python sample's stem, or `ts/<stem>` for a TypeScript one."""
    suffix = ".ts" if snippet.startswith("ts/") else ".py"
    return Case(name=name or snippet, snippet=SNIPPETS / f"{snippet}{suffix}", **options)


# The three relays, each asked one question by a caller it knows.
RELAY_CASE: dict[str, Any] = {
    "kind": "app",
    "request": {"message": "Write a haiku about the sea."},
    "path": "/chat",
    "env": {"RELAY_TOKENS": "reader:relay-sample-token"},
    "headers": {"Authorization": "Bearer relay-sample-token"},
}

# Runs that differ from "replay the cassette, exit 0". Keyed by case name.
SPECIAL: dict[str, Case] = {
    case.name: case
    for case in [
        _special(
            "complete_example",
            "complete_example_no_key",
            env={"ANTHROPIC_API_KEY": None},
            exit_code=1,
            uses_api=False,
        ),
        _special(
            "complete_example", "complete_example_error_event", scenario="error_event", exit_code=1
        ),
        _special(
            "check_setup",
            "check_setup_no_credentials",
            # no key, and no home directory holding a profile the SDK would find
            env={"ANTHROPIC_API_KEY": None, "HOME": "/nonexistent"},
            exit_code=1,
            uses_api=False,
        ),
        _special("nonstreaming_limit", uses_api=False),
        _special("retries", scenario="rate_limit_then_success"),
        _special("measure_speed", pace=0.05),
        # Stop is pressed after 200 characters: only a paced live run gets there first, and
        # 0.15 s between events leaves its 10 ms check room on a loaded machine
        _special("cancel_task", pace=0.15),
        _special("http_errors", "http_errors_unauthorized", scenario="unauthorized", exit_code=1),
        _special("http_errors", "http_errors_overloaded", scenario="overloaded", exit_code=1),
        # its page shows what is left of usage when the stream fails halfway
        _special("usage_on_failure", scenario="error_event", exit_code=1),
        # the TypeScript samples' own runs of the same kinds
        _special(
            "ts/complete_example",
            "ts/complete_example_no_key",
            env={"ANTHROPIC_API_KEY": None},
            exit_code=1,
            uses_api=False,
        ),
        _special(
            "ts/complete_example",
            "ts/complete_example_error_event",
            scenario="error_event",
            exit_code=1,
        ),
        _special(
            "ts/http_errors", "ts/http_errors_unauthorized", scenario="unauthorized", exit_code=1
        ),
        _special("ts/http_errors", "ts/http_errors_overloaded", scenario="overloaded", exit_code=1),
        _special("ts/relay_app", **RELAY_CASE),
        _special("relay_app", **RELAY_CASE),
        _special("relay_resumable", **RELAY_CASE, services=("redis",)),
    ]
}


# Samples no case runs, each used by the test named here: the curl sample (it needs an
# HTTPS relay in front of the cassette), the static files a page shows beside the relay
# app (the app serves them, byte for byte; tests/browser/test_relay.py runs them in
# Chromium; nginx reads the config), and a reader's test file that pytest runs with the
# emulator kit installed (a .py file, but no script).
NAMED_TESTS: dict[str, str] = {
    "curl_stream.sh": "tests/test_curl.py",
    "relay_page.html": "tests/test_relay_app.py",
    "relay_page.js": "tests/test_relay_app.py",
    "relay_nginx.conf": "tests/test_relay_nginx.py",
    "relay_resumable.html": "tests/test_relay_resumable.py",
    "relay_resumable.js": "tests/test_relay_resumable.py",
    "relay_resumable_nginx.conf": "tests/test_relay_resumable.py",
    "test_reply.py": "tests/test_kit.py",
}


def all_cases() -> list[Case]:
    cases = {
        path.stem: Case(path.stem, path)
        for path in sorted(SNIPPETS.glob("*.py"))
        if path.name not in NAMED_TESTS
    }
    cases.update(
        {f"ts/{path.stem}": Case(f"ts/{path.stem}", path) for path in typescript_samples()}
    )
    cases.update(SPECIAL)
    return sorted(cases.values(), key=lambda case: case.name)


def typescript_samples() -> list[Path]:
    return sorted(TYPESCRIPT.glob("*.ts"))


def of_sample(case: str, names: list[str]) -> bool:
    """Whether case `case` is a run of one of the samples named (`make record NAME=`):
    NAME=text_stream is both languages' runs, NAME=ts/text_stream the TypeScript ones."""
    if case in SPECIAL:
        snippet = SPECIAL[case].snippet
        stems = {snippet.stem, f"ts/{snippet.stem}" if snippet.suffix == ".ts" else snippet.stem}
    else:
        stems = {case, case.removeprefix("ts/")}
    return case in names or bool(stems & set(names))


def item_of_sample(item: Any, names: list[str]) -> bool:
    """Whether a collected pytest item runs one of the samples named (`--sample`): its
    `case`, its matrix `sample`, or its cassette's name says which sample it runs."""
    params = getattr(item, "callspec", None) and item.callspec.params
    sample = next((params[k].name for k in ("case", "sample") if params and k in params), None)
    if sample is None and (marker := item.get_closest_marker("default_cassette")):
        sample = marker.args[0]
    return sample is not None and of_sample(sample, names)
