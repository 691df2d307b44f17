"""The answer matrix: every sample against every answer shape its request could get.

A *shape* is an emulator scenario that no request property selects by itself (see
`streamdocs/emulator/shapes/`). Which shapes a sample can meet is derived from the request it
sends (read from its cassette): a tool call only where tools are offered, thinking only
where thinking is enabled, and so on. What the sample must do with each answer is judged by
`verdict`, from facts the emulator itself computes for that request (its text, stop reason,
tools called, what went wrong).
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from streamdocs.emulator import wire
from streamdocs.emulator.scenarios import Scenario, client_tools
from streamdocs.kit.verdicts import FAILURE_NAMES, PREFIX, error_names
from streamdocs.markdown import shortcodes
from streamdocs.paths import CASSETTES, DOCS, SNIPPETS, TYPESCRIPT, rel
from streamdocs.recording import cassettes
from streamdocs.samples.runner import Run

KEY = "sk-ant-answer-matrix"
TROUBLESHOOTING = "troubleshooting/errors.md"  # where every failure shape is handled
TS_HANDLES = re.compile(r"instanceof\s+(?:Anthropic\.)?APIError\b")


# --- samples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    path: Path
    request: dict[str, Any]  # the body of its first request, as recorded

    @property
    def name(self) -> str:
        """Its case's name: `text_stream`, `ts/text_stream` for the TypeScript one."""
        return f"ts/{self.path.stem}" if self.typescript else self.path.stem

    @property
    def typescript(self) -> bool:
        return self.path.suffix == ".ts"

    @cached_property
    def uses_sdk(self) -> bool:
        """It talks through the SDK, which retries 408/409/429/5xx; curl and plain HTTP
        get the first answer as it is."""
        text = self.path.read_text(encoding="utf-8")
        if self.typescript:
            return '"@anthropic-ai/sdk"' in text
        return self.path.suffix == ".py" and "import anthropic" in text

    @cached_property
    def handles_errors(self) -> bool:
        """It catches anthropic.APIStatusError or anthropic.APIError (in TypeScript: tests
        `instanceof Anthropic.APIError`, the parent of every error a request raises): the
        site's "handles errors" samples, which must fail with a message, not a crash."""
        if self.typescript:
            return bool(TS_HANDLES.search(self.path.read_text(encoding="utf-8")))
        if self.path.suffix != ".py":
            return False
        tree = ast.parse(self.path.read_text(encoding="utf-8"))
        # `except (A, B)` and `except ERRORS` where ERRORS = (A, B) at module level
        tuples = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = tuples.get(ast.unparse(node.type), node.type)
                parts = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                names |= {ast.unparse(part) for part in parts}
        return bool(names & {"anthropic.APIStatusError", "anthropic.APIError"})


def samples(typescript: bool = True) -> list[Sample]:
    """Every snippet that sends a request, with the request its cassette recorded, the
    TypeScript ones too unless `typescript` is False."""
    found = []
    paths = [*SNIPPETS.glob("*.py"), *SNIPPETS.glob("*.sh")]
    paths += [*TYPESCRIPT.glob("*.ts")] if typescript else []
    for path in sorted(paths):
        sample = Sample(path, {})
        cassette = CASSETTES / f"{sample.name}.yaml"
        if not cassette.exists():
            continue  # sends nothing (check_setup, nonstreaming_limit)
        interactions = cassettes.load(cassette)["interactions"]
        found.append(Sample(path, interactions[0]["request"]["body"]["json"]))
    return found


# --- facts about one answer -------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the emulator answers this request with, in the terms the verdicts use."""

    text: str  # the first non-empty text block, as far as it is sent
    stop_reason: str | None
    tools_called: tuple[str, ...]
    failure: str | None  # None: a complete answer; else what goes wrong (`FAILURE_NAMES`)
    names: str = ""  # a regex any message about the failure must match
    partial: str = ""  # the text sent before the failure


def facts(shape: Scenario, request: dict[str, Any], retries: bool = True) -> Facts:
    ids = wire.Ids(shape.name, request, 0)
    # what the last retry gets, or the first answer for a client that does not retry
    final = shape.reply(len(shape.replies) - 1 if retries else 0)
    if final.error is not None:
        return Facts("", None, (), "http", error_names(final.error.status, final.error.type))
    message = wire.build_message(final, request, ids)
    events = wire.stream_events(message, final.pings, final.pings_after_stop)
    text = next((b["text"] for b in message["content"] if b["type"] == "text" and b["text"]), "")
    tools = tuple(b["name"] for b in message["content"] if b["type"] == "tool_use")
    interrupt = final.interrupt
    if interrupt is None:
        return Facts(text, message["stop_reason"], tools, None)
    stop = wire.interrupt_index(events, interrupt.after_chars, interrupt.at, interrupt.after_events)
    sent = [
        e["delta"]["text"]
        for e in events[:stop]
        if e["type"] == "content_block_delta" and e["delta"]["type"] == "text_delta"
    ]
    partial = "".join(sent)
    if interrupt.error is not None:
        names = error_names(interrupt.error.status, interrupt.error.type)
        return Facts(text, None, (), "error_event", names, partial)
    kind = "cut" if interrupt.cut else "early_end" if interrupt.end else "stall"
    return Facts(text, None, (), kind, FAILURE_NAMES[kind], partial)


# --- verdicts -------------------------------------------------------------------------------


def verdict(sample: Sample, shape: str, facts: Facts, run: Run, prints_text: bool) -> list[str]:
    """Everything wrong with what the sample did with this answer (empty: it coped)."""
    where = f"{display_path(sample.path)} against shape {shape!r}"
    problems = []
    if run.crash:
        if facts.failure is None or sample.handles_errors:
            return [f"{where}: crashed with {run.crash}\n{run.output}"]
        return []  # a sample that does not handle errors may raise; its page links the fix
    out = run.output
    # a stall shorter than the sample's own read timeout is no failure to it
    waited = facts.failure == "stall" and run.exit_code == 0
    succeeded = facts.failure is None or waited
    if succeeded:
        if run.exit_code != 0:
            problems.append(f"exited {run.exit_code} on a complete answer")
        shown = facts.text[:PREFIX]
        if prints_text and shown and shown not in out:
            problems.append(f"did not print the answer's text (expected {shown!r})")
        stop = facts.stop_reason
        if facts.failure is None and stop not in ("end_turn", "tool_use") and stop not in out:
            problems.append(f"did not say the answer stopped for {stop!r}")
        if not facts.tools_called:
            named = [t["name"] for t in client_tools(sample.request) if t["name"] in out]
            if named:
                problems.append(f"printed tool name {named[0]!r} though no tool was called")
    elif sample.handles_errors:
        # It stops with a message naming the error, or it recovers (a later request of
        # the run gets an ordinary answer) and says what it recovered from.
        lines = [line for line in out.splitlines() if line.strip()]
        named = lines[-2:] if run.exit_code else lines
        if not any(re.search(facts.names, line, re.IGNORECASE) for line in named):
            problems.append(f"no line names the error (one of: {facts.names})")
        kept = facts.partial[:PREFIX].rstrip()  # trailing whitespace may be held back
        if prints_text and kept and kept not in out:
            problems.append(f"lost the text it had already received ({kept!r})")
    return [f"{where}: {p}\n--- it printed ---\n{out}" for p in problems]


def display_path(path: Path) -> str:
    return rel(path) if path.is_relative_to(SNIPPETS) else str(path)


def pages_showing(sample: Sample, pages_text: dict[Path, str]) -> list[Path]:
    """The pages whose markers show the sample (a TypeScript tab included)."""
    return [
        page
        for page, text in pages_text.items()
        if _shown_file(sample.path) in {s.file for s in shortcodes.samples_in(text, SNIPPETS)}
    ]


def page_links_troubleshooting(sample: Sample, pages_text: dict[Path, str]) -> bool:
    """Some page that shows the sample links the troubleshooting page for failures."""
    handled_here = DOCS / TROUBLESHOOTING
    return any(
        p == handled_here or _links(p, pages_text[p]) for p in pages_showing(sample, pages_text)
    )


def _shown_file(path: Path) -> str:
    """How a marker names the file: relative to snippets/ (`ts/text_stream.ts`)."""
    return path.relative_to(SNIPPETS).as_posix() if path.is_relative_to(SNIPPETS) else path.name


def _links(page: Path, text: str) -> bool:
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        resolved = os.path.normpath(page.parent / target)
        if Path(resolved) == DOCS / TROUBLESHOOTING:
            return True
    return False
