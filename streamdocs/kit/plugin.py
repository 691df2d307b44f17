"""The emulator kit's pytest plugin: a test runs once per answer the Messages API could
give its code, and the breaks of each.

A test that asks for the `claude_answer` fixture is run once per answer: `natural` (the
emulator's own answer), each shape of the catalogue, and, as `<shape>-faults`, the breaks
of that shape's answer. In each, `claude_answer.check(fn, *args, **kwargs)` calls the code
under test against that answer (each break in turn) and fails the test naming the answer,
the break, what went wrong and the direction of the fix; a shape that does not fit the
request the code sends is skipped, saying why. Meanwhile ANTHROPIC_BASE_URL and
ANTHROPIC_API_KEY name the emulator (every other ANTHROPIC_* variable is removed), so a
client made with no arguments talks to it.

`@pytest.mark.claude_answers(shapes=[...], faults=False, raises=(...), shown=fn)` narrows
the answers, drops the breaks, names the exceptions the code may let escape on a failure
(default: `anthropic.APIError`), or turns what the code returns into the text it shows
(default: a returned string). Options: --claude-faults, --claude-shape, --claude-stall,
--claude-seed (`pytest --help`).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import itertools
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from streamdocs.emulator import Emulator
from streamdocs.emulator.variants import CaseLog, Fault

from .answers import (
    KEY,
    MODES,
    NATURAL,
    SEED,
    STALL_SECONDS,
    Answer,
    Outcome,
    Plans,
    answers,
    habits,
    outcome,
    summary,
)
from .verdicts import Run


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claude", "answers of the Messages API (claude-stream-emulator)")
    group.addoption(
        "--claude-faults",
        choices=MODES,
        default="likeliest",
        help="breaks of each answer: the likeliest (default), all (more seeded cuts), none",
    )
    group.addoption(
        "--claude-shape",
        action="append",
        default=[],
        metavar="NAME",
        help="run against this answer shape only (again for more; `natural` too)",
    )
    group.addoption(
        "--claude-stall",
        type=float,
        default=STALL_SECONDS,
        metavar="SECONDS",
        help=f"how long a stall is silent (default {STALL_SECONDS}); give the client a "
        "shorter read timeout, or a stall is only a wait",
    )
    group.addoption(
        "--claude-seed", type=int, default=SEED, help="the seed of the breaks drawn at random"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "claude_answers(shapes=None, faults=True, raises=None, shown=None): which answers "
        "a test using claude_answer runs against, and how its code's failures are judged",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "claude_answer" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("claude_answers")
    wanted = dict(marker.kwargs) if marker else {}
    names = list(wanted.get("shapes") or [])
    if chosen := metafunc.config.getoption("--claude-shape"):
        names = [n for n in names if n in chosen] if names else chosen
    mode = metafunc.config.getoption("--claude-faults")
    if wanted.get("faults", True) is False:
        mode = "none"
    try:
        found = answers(names or None, mode)
    except ValueError as err:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: {err}") from None
    if not found:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: no answer to run against")
    params = [pytest.param(answer, id=answer.id) for answer in found]
    metafunc.parametrize("claude_answer", params, indirect=True)


@pytest.fixture(scope="session")
def claude_emulator():
    """The emulator of the Messages API, on 127.0.0.1, for the whole session."""
    with Emulator() as emulator:
        yield emulator


_cases = itertools.count()


@pytest.fixture
def claude_answer(request: pytest.FixtureRequest, claude_emulator, monkeypatch):
    """This test's answer (see the module's docstring); the environment names the emulator."""
    answer = getattr(request, "param", None)
    if not isinstance(answer, Answer):  # asked for by hand: the natural answer
        answer = Answer(NATURAL)
    case = f"kit-{os.getpid()}-{next(_cases)}"
    url = claude_emulator.add_case(case, Fault())
    for name in [n for n in os.environ if n.startswith("ANTHROPIC_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    marker = request.node.get_closest_marker("claude_answers")
    config = request.config
    yield ClaudeAnswer(
        claude_emulator,
        case,
        url,
        answer,
        dict(marker.kwargs) if marker else {},
        mode=config.getoption("--claude-faults"),
        stall_seconds=config.getoption("--claude-stall"),
        seed=config.getoption("--claude-seed"),
    )
    claude_emulator.cases.pop(case, None)


class ClaudeAnswer:
    """One answer (or its breaks) for one test: `check` runs code against it."""

    def __init__(
        self,
        emulator: Emulator,
        case: str,
        base_url: str,
        answer: Answer,
        wanted: dict[str, Any],
        mode: str,
        stall_seconds: float,
        seed: int,
    ) -> None:
        self.emulator = emulator
        self.case = case
        self.base_url = base_url  # also ANTHROPIC_BASE_URL while the test runs
        self.api_key = KEY  # also ANTHROPIC_API_KEY
        self.name = answer.name  # the shape, or "natural"
        self.faults = answer.faults  # whether this test runs the answer's breaks
        self.stall_seconds = stall_seconds
        self._answer = answer
        self._mode = mode
        self._seed = seed
        raises = wanted.get("raises")
        self._raises = tuple(raises) if raises is not None else _sdk_errors()
        self._shown: Callable[[Any], str] | None = wanted.get("shown")

    def __repr__(self) -> str:
        return f"<claude_answer {self._answer.id}>"

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Outcome]:
        """Call `fn(*args, **kwargs)` against this answer, or each of its breaks; what it
        did each time, judged. Skips the test when the answer does not fit the request."""

        def call() -> Run:
            return _call(fn, args, kwargs, self._raises, self._shown)

        first, log = self._once(Fault(), call)
        if not log.requests:
            pytest.fail(
                f"{getattr(fn, '__name__', fn)} sent no request to the emulator: let the "
                "client read ANTHROPIC_BASE_URL (the default), or pass it "
                "claude_answer.base_url.\n  It showed:\n" + (first.output or "(nothing)"),
                pytrace=False,
            )
        request = log.requests[0].request
        yardstick = habits(log, first.output)
        plans = Plans(self.emulator, request, self._mode, self._seed, self.stall_seconds)
        if why := plans.misfit(self._answer):
            pytest.skip(f"the API cannot give shape {self.name} to this request: {why}")
        planned = plans.runs(self._answer)
        if not planned:
            pytest.skip(f"the {self.name} answer to this request is no stream to break")
        if self._answer == Answer(NATURAL):  # the first run was this one
            return [outcome(NATURAL, planned[0], first, log, yardstick, request)]
        return [
            outcome(self.name, p, *self._once(p.fault, call), yardstick, request) for p in planned
        ]

    def check(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Outcome]:
        """`run`, then fail the test naming every run that went wrong and how to fix it."""
        outcomes = self.run(fn, *args, **kwargs)
        failed = [o for o in outcomes if o.problems]
        if failed:
            runs = "breaks" if self.faults else "runs"
            pytest.fail(
                f"{len(failed)} of {len(outcomes)} {runs} of {self._answer.id} went wrong:\n"
                + summary(failed),
                pytrace=False,
            )
        return outcomes

    def _once(self, fault: Fault, call: Callable[[], Run]) -> tuple[Run, CaseLog]:
        self.emulator.add_case(self.case, fault)
        return call(), self.emulator.case_log(self.case)


def _sdk_errors() -> tuple[type[BaseException], ...]:
    try:
        import anthropic
    except ImportError:
        return ()
    return (anthropic.APIError,)


def _call(fn, args, kwargs, raises, shown) -> Run:
    """Run the code once, with what it prints captured; what escapes it, described."""
    printed = io.StringIO()
    start = time.perf_counter()
    failed, error, crashed, returned = False, "", False, None
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            returned = fn(*args, **kwargs)
            if inspect.iscoroutine(returned):
                returned = asyncio.run(returned)
        except SystemExit as exit:
            failed, error = exit.code not in (None, 0), f"exit {exit.code}"
            if isinstance(exit.code, str):
                print(exit.code, file=printed)
        except Exception as err:  # noqa: BLE001 - judged: a failure it may let escape, or a crash
            failed, error, crashed = True, _described(err), not isinstance(err, raises)
    output = printed.getvalue()
    if not failed:
        text = shown(returned) if shown is not None else returned
        if isinstance(text, str):
            output += text
    return Run(output, failed, error, crashed=crashed, seconds=time.perf_counter() - start)


def _described(err: BaseException) -> str:
    """`module.Class: message at file:line` (the innermost frame: where it was raised)."""
    cls = type(err)
    root = cls.__module__.split(".")[0]  # anthropic._exceptions.X: anthropic.X, as imported
    public = getattr(sys.modules.get(root), cls.__qualname__, None) is cls
    module = "" if root == "builtins" else f"{root if public else cls.__module__}."
    name = module + cls.__qualname__
    frames = traceback.extract_tb(err.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{name}: {err}{where}"
