"""What code must do with an answer, judged from what it showed and what the emulator sent.

The same verdicts as the answer matrix (streamdocs/samples/matrix.py, which takes its words
from here) and the generated faults, for code the project has never seen: a function a
pytest test runs (the plugin) or any command (the kit's command). Whether an answer was
complete is not guessed from the plan: the emulator's case log says whether each request's
`message_stop` went out.

- On a complete answer (the last request's `message_stop` arrived): the code does not
  fail; it shows the beginning of the answer's text, if it shows text at all (judged on the
  natural answer); it names the stop reason when it is not `end_turn` or `tool_use`; it
  shows no tool's name when no tool was called.
- On a failure (no `message_stop`): the code fails (raises, exits non-zero) or shows a line
  naming the failure; when it goes on, it still shows the text that arrived whole.
- Never: a crash (an exception the code's own policy does not let through), a broken
  character (U+FFFD), the text that arrived shown twice after a break.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from streamdocs.emulator.variants import CaseLog

PREFIX = 40  # characters of the answer code that shows text must show
# How a one-line message may name each kind of failure.
FAILURE_NAMES = {
    "cut": r"RemoteProtocolError|ReadError|connection|interrupted",
    "early_end": r"interrupted|incomplete|ended early|before it finished|stop_reason",
    "stall": r"ReadTimeout|timed out|timeout",
}
FINISHED = ("end_turn", "tool_use")  # stop reasons an answer needs not name


@functools.cache  # the same few (status, type) pairs again and again
def error_names(status: int, error_type: str) -> str:
    """A message may name an HTTP error by its type, its status or the SDK's class for it
    (the SDK's classes when `anthropic` is installed: the kit's command needs no SDK)."""
    try:
        import anthropic
    except ImportError:
        classes = []
    else:
        classes = [
            cls.__name__
            for cls in vars(anthropic).values()
            if isinstance(cls, type)
            and issubclass(cls, anthropic.APIStatusError)
            and getattr(cls, "status_code", None) == status
        ]
    return "|".join(re.escape(n) for n in [error_type, str(status), *classes])


@dataclass(frozen=True)
class Run:
    """What the code did with one answer."""

    output: str  # what it showed: stdout and stderr (and what it returned, for a function)
    failed: bool  # it raised, or exited non-zero
    error: str = ""  # the exception ("KeyError: 'x' at app.py:12") or "exit 3"
    crashed: bool = False  # it raised an exception its policy does not let through
    hung: bool = False  # it was stopped, still running after the time a run may take
    seconds: float = 0.0


@dataclass(frozen=True)
class Habits:
    """What the code does with its natural answer, the yardstick for every other."""

    shows_text: bool  # the answer's text appears in what it shows
    once: bool  # ...exactly once


def first_text(log: CaseLog) -> str:
    return next((r.text for r in log.requests if r.text.strip()), "")


def habits(log: CaseLog, output: str) -> Habits:
    head = first_text(log)[:PREFIX]
    return Habits(bool(head) and head in output, bool(head) and output.count(head) == 1)


def failure_words(log: CaseLog) -> str:
    """A regex any line naming this case's failure matches: the words for a cut, an early
    end and a stall, and the names of each error the emulator sent."""
    words = list(FAILURE_NAMES.values())
    words += [error_names(r.status, r.error) for r in log.requests if r.error]
    return "|".join(words)


def judge(run: Run, log: CaseLog, habits: Habits, tools: list[str]) -> list[tuple[str, str]]:
    """Everything wrong with what the code did with this answer, as (what, fix) pairs;
    `tools`: the names of the tools the request offered."""
    requests = log.requests
    if not requests:
        return [
            (
                "sent no request to the emulator",
                "let the client read ANTHROPIC_BASE_URL (the default), or pass the base URL "
                "the kit gives you",
            )
        ]
    found = []
    out = run.output
    if "\ufffd" in out:
        found.append(("showed a broken character (U+FFFD)", "decode bytes whole, not each chunk"))
    if run.hung:
        found.append(
            (
                f"hung: {run.error}",
                "give the client a read timeout, and stop when the stream is silent past it",
            )
        )
        return found
    if run.crashed:
        found.append((f"crashed with {run.error}", "catch it and say what failed"))
        return found
    whole = requests[-1].message_stop
    if whole and run.failed:
        found.append(
            (
                f"failed ({run.error}) though the answer's message_stop arrived",
                "once message_stop has arrived the answer is whole: keep it",
            )
        )
    elif whole:
        found += _complete(out, log, habits, tools)
    elif not run.failed:
        found += _went_on(out, log, habits)
    head = requests[0].text[:PREFIX]
    if not whole and habits.once and len(head) >= 10 and out.count(head) > 1:
        found.append(
            (
                f"showed text twice ({head!r})",
                "when you send the request again, don't show what was already shown",
            )
        )
    return found


def _complete(out: str, log: CaseLog, habits: Habits, tools: list[str]) -> list[tuple[str, str]]:
    found = []
    head = first_text(log)[:PREFIX]
    if habits.shows_text and head and head not in out:
        found.append((f"did not show the answer's text (expected {head!r})", "show each text"))
    stop = log.requests[0].stop_reason
    if stop is not None and stop not in FINISHED and stop not in out:
        found.append(
            (
                f"did not say the answer stopped for {stop!r}",
                "read stop_reason and say when an answer did not finish normally",
            )
        )
    if not any(r.tools for r in log.requests):
        named = [name for name in tools if name in out]
        if named:
            found.append(
                (
                    f"showed tool name {named[0]!r} though no tool was called",
                    "look for tool_use blocks; the model may answer in text instead",
                )
            )
    return found


def _went_on(out: str, log: CaseLog, habits: Habits) -> list[tuple[str, str]]:
    """It neither raised nor exited non-zero on an answer that never finished."""
    found = []
    names = failure_words(log)
    if not any(re.search(names, line, re.IGNORECASE) for line in out.splitlines()):
        found.append(
            (
                "presented the answer as complete though its message_stop never arrived "
                "(no line names the failure)",
                "treat an answer without message_stop as incomplete, and say so",
            )
        )
    kept = log.requests[0].text.rstrip()  # trailing whitespace may be held back
    if habits.shows_text and kept and kept not in out:
        found.append(
            (
                f"lost text that had arrived ({len(kept)} characters, ending {kept[-40:]!r})",
                "show each text delta as it arrives and keep it when the stream fails",
            )
        )
    return found
