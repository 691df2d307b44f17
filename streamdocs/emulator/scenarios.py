"""Scenario files: loading them, and choosing one for a request.

The schema is documented in README.md next to this file. Loading is strict (unknown keys
raise) so a typo in a scenario file fails loudly instead of being silently ignored.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import yaml

from . import models

SCENARIO_DIR = Path(__file__).parent / "scenarios"
# The answer-shape catalogue: more scenarios, kept apart so the list above stays short.
SHAPE_DIR = Path(__file__).parent / "shapes"
DEFAULT = "text"
AFTER_TOOL_RESULT = "after_tool_result"
WEB_SEARCH = "web_search_citations"  # the natural answer when web search is offered

# --- the file format, validated strictly: a typo fails loudly, naming the key ----------


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class _ErrorFile(_Strict):
    status: int
    type: str
    message: str
    retry_after: int | None = None


class _InterruptFile(_Strict):
    after_chars: int | None = None
    at: str | None = None
    after_events: int | None = None  # after this many events (make fuzz writes these)
    bytes_into: int = 0  # ...and this many bytes of the next one
    error: _ErrorFile | None = None
    cut: bool = False
    stall_seconds: float = 0.0
    pings_every: float = 0.0
    end: bool = False

    @pydantic.model_validator(mode="after")
    def _one_of_each(self):
        kinds = [k for k in ("error", "cut", "stall_seconds", "end") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError("interrupt needs exactly one of error, cut, stall_seconds, end")
        where = [k for k in ("after_chars", "at", "after_events") if getattr(self, k) is not None]
        if len(where) != 1:
            raise ValueError("interrupt needs exactly one of after_chars, at, after_events")
        return self


class _UsageFile(_Strict):
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None


class _ToolFile(_Strict):
    name: str | None = None
    input: dict[str, Any] = {}
    raw_json: str | None = None  # streamed as the input, JSON or not
    exact: bool = False  # the input as written, not fitted to the tool's schema


# Each block is written as one of these keys, plus the extra keys its kind allows.
_BLOCK_KEYS = {
    "text": {"text", "citations", "extra_deltas"},
    "thinking": {"thinking", "signature", "signature_only"},
    "redacted_thinking": {"redacted_thinking"},
    "tool_use": {"tool_use"},
    "server_tool_use": {"server_tool_use"},
    "block": {"block"},
}


class _BlockFile(_Strict):
    text: str | None = None
    citations: list[dict[str, Any]] | None = None
    extra_deltas: list[dict[str, Any]] | None = None
    thinking: str | None = None
    signature: str | None = None
    signature_only: bool = False  # no thinking_delta at all, only the signature_delta
    redacted_thinking: str | None = None
    tool_use: _ToolFile | None = None
    server_tool_use: _ToolFile | None = None
    block: dict[str, Any] | None = None

    @pydantic.model_validator(mode="after")
    def _one_kind(self):
        kinds = [kind for kind in _BLOCK_KEYS if kind in self.model_fields_set]
        if len(kinds) != 1:
            raise ValueError(f"a content block needs one of {sorted(_BLOCK_KEYS)}")
        extra = self.model_fields_set - _BLOCK_KEYS[kinds[0]]
        if extra:
            raise ValueError(f"a {kinds[0]} block takes no {sorted(extra)}")
        if kinds[0] == "block" and "type" not in (self.block or {}):
            raise ValueError("a raw block needs a type")
        return self


class _ReplyFile(_Strict):
    content: list[_BlockFile] = []
    stop_reason: str | None = None
    usage: _UsageFile | None = None
    max_tokens: int | None = None
    error: _ErrorFile | None = None
    interrupt: _InterruptFile | None = None
    gzip: bool = False
    pings: int = 1
    pings_after_stop: int | None = None
    stop_details: dict[str, Any] | None = None
    chunk_size: int | None = None
    extra_events: list[dict[str, Any]] = []


class _MatchFile(_Strict):
    prompt: str | None = None
    tool_result: bool | None = None


class _ScenarioFile(_ReplyFile):
    description: str
    match: _MatchFile | None = None
    attempts: list[dict[str, Any]] = []  # each overrides the reply's keys for one attempt
    every_request: bool = False
    shape: bool | None = None  # `shape: false`: a fixture for one test, kept out of the matrix


_REPLY_KEYS = set(_ReplyFile.model_fields)


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    type: str
    message: str
    retry_after: int | None = None


@dataclass(frozen=True)
class Interrupt:
    """Something that goes wrong once `after_chars` characters of text have been streamed."""

    after_chars: int
    error: ErrorSpec | None = None  # send an `error` event and end the stream
    cut: bool = False  # drop the TCP connection without the terminating chunk
    stall_seconds: float = 0.0  # go silent for a while, then carry on
    pings_every: float = 0.0  # during the stall, a keep-alive ping this often (0: none)
    end: bool = False  # end the body cleanly, as a proxy that gave up would
    at: str | None = None  # instead of after_chars: before the first event of this type
    after_events: int | None = None  # instead: after this many events,
    bytes_into: int = 0  # and this many bytes into the next


@dataclass(frozen=True)
class Reply:
    """What a scenario answers to one attempt of a request."""

    content: tuple[dict[str, Any], ...] = ()
    stop_reason: str | None = None  # None: computed from the content
    usage: dict[str, int] | None = None
    max_tokens: int | None = None  # a cap on top of the request's max_tokens
    error: ErrorSpec | None = None  # an HTTP error instead of a message
    interrupt: Interrupt | None = None
    gzip: bool = False
    pings: int = 1  # pings after the first content_block_start
    pings_after_stop: int | None = None  # None: one after the first block when there are more
    stop_details: dict[str, Any] | None = None
    chunk_size: int | None = None  # write each event in pieces of this many bytes
    extra_events: tuple[dict[str, Any], ...] = ()  # sent right after message_start


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    prompt: re.Pattern[str] | None
    replies: tuple[Reply, ...]  # by attempt; the last one answers every later attempt
    every_request: bool = False  # as a forced shape, answer every request of a run
    matched: bool = False  # chosen by what the request holds (`match`), so not a shape

    def reply(self, attempt: int) -> Reply:
        return self.replies[min(attempt, len(self.replies) - 1)]

    @property
    def goes_silent(self) -> bool:
        """Some reply stalls without pings: only then can a client's read timeout fire."""
        return any(
            r.interrupt is not None and r.interrupt.stall_seconds and not r.interrupt.pings_every
            for r in self.replies
        )

    @property
    def text(self) -> str:
        """The text blocks of the last reply, the one a retrying client ends with."""
        return "".join(b["text"] for b in self.replies[-1].content if b["type"] == "text")


def load_scenarios(*directories: Path) -> dict[str, Scenario]:
    """All scenarios in `directories` (default: scenarios/ and shapes/), each in file-name
    order (the order prompts are matched in). A name may exist only once."""
    scenarios: dict[str, Scenario] = {}
    for directory in directories or (SCENARIO_DIR, SHAPE_DIR):
        for path in sorted(directory.glob("*.yaml")):
            if path.stem in scenarios:
                raise ValueError(f"{path}: a scenario named {path.stem!r} exists already")
            scenarios[path.stem] = load_scenario(path)
    return scenarios


def shapes(scenarios: dict[str, Scenario]) -> dict[str, Scenario]:
    """The answer shapes: every scenario that no request property selects by itself."""
    return {name: s for name, s in scenarios.items() if not s.matched}


def load_scenario(path: Path) -> Scenario:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        scenario = _ScenarioFile.model_validate(data)
        base = {k: v for k, v in data.items() if k in _REPLY_KEYS}
        replies = [_reply({**base, **o}) for o in scenario.attempts] + [_reply(base)]
        match = data.get("match") or {}
        prompt = re.compile(match["prompt"], re.IGNORECASE) if "prompt" in match else None
        return Scenario(
            path.stem,
            scenario.description,
            prompt,
            tuple(replies),
            every_request=scenario.every_request,
            matched=bool(match) or scenario.shape is False,
        )
    except (pydantic.ValidationError, re.error) as err:
        raise ValueError(f"{path}: {err}") from err


def _reply(data: dict[str, Any]) -> Reply:
    _ReplyFile.model_validate(data)  # an attempt's overrides are checked as a whole reply
    usage = data.get("usage")
    return Reply(
        content=tuple(_block(b) for b in data.get("content", [])),
        stop_reason=data.get("stop_reason"),
        usage=usage,
        max_tokens=data.get("max_tokens"),
        error=_error(data["error"]) if "error" in data else None,
        interrupt=_interrupt(data["interrupt"]) if "interrupt" in data else None,
        gzip=bool(data.get("gzip", False)),
        pings=int(data.get("pings", 1)),
        pings_after_stop=data.get("pings_after_stop"),
        stop_details=data.get("stop_details"),
        chunk_size=data.get("chunk_size"),
        extra_events=tuple(data.get("extra_events", ())),
    )


def _block(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise a scenario block to {"type": ..., ...} (ids, names, input resolved later).

    Keys starting with `_` are stream hints (how the block is streamed), not block fields.
    """
    kind = next(k for k in _BLOCK_KEYS if k in data)  # exactly one: _BlockFile checked
    if kind == "text":
        block = {"type": "text", "text": str(data["text"])}
        if "citations" in data:
            block["citations"] = [dict(c) for c in data["citations"]]
        if "extra_deltas" in data:  # deltas of types the SDK may not know, sent first
            block["_extra_deltas"] = [dict(d) for d in data["extra_deltas"]]
        return block
    if kind == "thinking":
        block = {
            "type": "thinking",
            "thinking": data["thinking"],
            "signature": data.get("signature"),
        }
        if data.get("signature_only"):
            block["_signature_only"] = True
        return block
    if kind == "redacted_thinking":
        return {"type": "redacted_thinking", "data": str(data["redacted_thinking"])}
    if kind == "block":  # any other block, sent whole in content_block_start
        return dict(data["block"])
    tool = data[kind]
    block = {"type": kind, "name": tool.get("name"), "input": dict(tool.get("input", {}))}
    if tool.get("exact"):  # send the input as written, not fitted to the tool's schema
        block["_exact"] = True
    if "raw_json" in tool:  # stream this text as the input (it may not even be JSON)
        block["_raw_json"] = str(tool["raw_json"])
    return block


def _error(data: dict[str, Any]) -> ErrorSpec:
    return ErrorSpec(int(data["status"]), data["type"], data["message"], data.get("retry_after"))


def _interrupt(data: dict[str, Any]) -> Interrupt:
    return Interrupt(
        after_chars=int(data.get("after_chars", 0)),
        at=data.get("at"),
        after_events=data.get("after_events"),
        bytes_into=int(data.get("bytes_into", 0)),
        end=bool(data.get("end", False)),
        pings_every=float(data.get("pings_every", 0.0)),
        error=_error(data["error"]) if "error" in data else None,
        cut=bool(data.get("cut", False)),
        stall_seconds=float(data.get("stall_seconds", 0.0)),
    )


# --- choosing a scenario -------------------------------------------------------------------


def choose(scenarios: dict[str, Scenario], body: dict[str, Any], headers: dict[str, str]) -> str:
    """Name of the scenario that answers an (unforced) request, in the documented order."""
    if not has_valid_key(headers):
        return "unauthorized"
    if models.facts(body.get("model")) is None:
        return "unknown_model"
    if last_user_turn_has_tool_result(body) and AFTER_TOOL_RESULT in scenarios:
        return AFTER_TOOL_RESULT
    # asked to think: the thinking scenarios; a model that thinks on its own gets the plain
    # one with a thinking block first (server: wire.thought_first)
    asked_to_think = (body.get("thinking") or {}).get("type") in ("enabled", "adaptive")
    if client_tools(body) and tool_choice(body) != "none":
        return "thinking_tool_use" if asked_to_think else "tool_use"
    if "web_search" in server_tools(body) and WEB_SEARCH in scenarios:
        return WEB_SEARCH
    if asked_to_think:
        return "thinking"
    prompt = last_user_prompt(body)
    for name, scenario in scenarios.items():
        if scenario.prompt is not None and scenario.prompt.search(prompt):
            return name
    return DEFAULT


def has_valid_key(headers: dict[str, str]) -> bool:
    """An sk-ant-... key in x-api-key, or as a bearer token: the pinned SDK sends
    `api_key` as `Authorization: Bearer ...`, curl examples usually use x-api-key."""
    bearer = headers.get("authorization", "").removeprefix("Bearer ")
    return any(key.startswith("sk-ant-") for key in (headers.get("x-api-key", ""), bearer))


def last_user_prompt(body: dict[str, Any]) -> str:
    """The text of the last user turn (a string, or the text blocks of a block list)."""
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content", "")
            if isinstance(content, str):
                return content
            return " ".join(
                b.get("text", "")
                for b in content
                if isinstance(b, dict) and b.get("type") == "text"
            )
    return ""


def last_user_turn_has_tool_result(body: dict[str, Any]) -> bool:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    content = last.get("content") if isinstance(last, dict) else None
    return isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content
    )


# In a text block, the tool results of the request's last user turn: a reply after a tool
# call uses what the tool returned, as a model's would, instead of a fixed sentence.
TOOL_RESULTS = "{tool_results}"


def tool_results(body: dict[str, Any]) -> str:
    """The last user turn's tool results, each named by the tool of its call:
    `get_weather returned {...}`, several joined by `; `."""
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    names = {
        block.get("id"): block.get("name")
        for message in messages
        if message.get("role") == "assistant" and isinstance(message.get("content"), list)
        for block in message["content"]
        if isinstance(block, dict) and block.get("type") == "tool_use"
    }
    last = messages[-1].get("content") if messages else None
    said = [
        f"{names.get(block.get('tool_use_id'), 'the tool')} "
        f"{'failed with' if block.get('is_error') else 'returned'} {_text(block.get('content'))}"
        for block in (last if isinstance(last, list) else [])
        if isinstance(block, dict) and block.get("type") == "tool_result"
    ]
    return "; ".join(said)


def with_tool_results(reply: Reply, body: dict[str, Any]) -> Reply:
    """The reply with TOOL_RESULTS in its text blocks filled from the request."""
    if not any(TOOL_RESULTS in block.get("text", "") for block in reply.content):
        return reply
    said = tool_results(body)
    content = tuple(
        {**block, "text": block["text"].replace(TOOL_RESULTS, said)}
        if block.get("type") == "text"
        else block
        for block in reply.content
    )
    return dataclasses.replace(reply, content=content)


def client_tools(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's own tools (server tools such as web search have a versioned `type`)."""
    return [
        t
        for t in body.get("tools") or []
        if isinstance(t, dict) and t.get("type", "custom") == "custom"
    ]


def server_tools(body: dict[str, Any]) -> list[str]:
    """The request's server tools, by family: web_search, web_fetch, code_execution, ..."""
    families = []
    for tool in body.get("tools") or []:
        kind = tool.get("type", "custom") if isinstance(tool, dict) else "custom"
        if kind != "custom":
            families.append(re.sub(r"_\d{8}$", "", kind))
    return families


def tool_choice(body: dict[str, Any]) -> str:
    return (body.get("tool_choice") or {}).get("type", "auto")


# --- continuing an interrupted answer --------------------------------------------------------


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content or [] if isinstance(b, dict))


def _only_text(content: Any) -> bool:
    """A turn of text alone: a partial answer, not a paused turn with server tool blocks."""
    return isinstance(content, str) or all(
        isinstance(b, dict) and b.get("type") == "text" for b in content or []
    )


def prefill_problem(body: dict[str, Any]) -> str | None:
    """Why the API rejects the request's final assistant turn, if it does: a model that
    takes no prefill (models.yaml), or one that ends in whitespace."""
    if not models.ends_with_prefill(body):
        return None
    entry = models.facts(body.get("model"))
    if entry is not None and not entry.prefill:
        return models.PREFILL
    text = _text(body["messages"][-1].get("content"))
    if text != text.rstrip():
        return "final assistant content cannot end with trailing whitespace"
    return None


def continuation(body: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """For a request that asks for the rest of an interrupted answer: the request that
    answer was for, and the text already received. Both forms the API documents: the
    partial text as a final assistant turn (4.5 and earlier), or an assistant turn with it
    followed by a user turn asking to continue (4.6 and later)."""
    messages = body.get("messages") or []
    roles = [m.get("role") if isinstance(m, dict) else None for m in messages]
    if roles[-1:] == ["assistant"]:
        cut = len(messages) - 1
    elif (
        roles[-2:] == ["assistant", "user"]
        and "continue" in _text(messages[-1].get("content")).lower()
    ):
        cut = len(messages) - 2
    else:
        return None
    if cut < 1 or not _only_text(messages[cut].get("content")):
        return None
    partial = _text(messages[cut].get("content"))
    return {**body, "messages": messages[:cut]}, partial


def thinking_problem(body: dict[str, Any], signature_of) -> str | None:
    """Why the API rejects the thinking blocks sent back, if it does: with thinking
    `enabled` (the model always thinks), an assistant turn that calls a tool must start with
    its thinking block; and a thinking block's signature must match its text."""
    if not models.thinks(body):
        return None
    for number, message in enumerate(body.get("messages") or []):
        content = message.get("content") if isinstance(message, dict) else None
        if message.get("role") != "assistant" or not isinstance(content, list):
            continue
        types = [b.get("type") for b in content if isinstance(b, dict)]
        always_thinks = (body.get("thinking") or {}).get("type") == "enabled"
        first = types[0] if types else None
        if always_thinks and "tool_use" in types and first not in ("thinking", "redacted_thinking"):
            return (
                f"messages.{number}.content.0.type: Expected `thinking` or "
                f"`redacted_thinking`, but found `{first}`. When `thinking` is enabled, "
                "an assistant message that uses tools must start with its thinking block."
            )
        for block in content:
            if isinstance(block, dict) and block.get("type") == "thinking":
                if block.get("signature") != signature_of(block.get("thinking", "")):
                    return f"messages.{number}: Invalid `signature` in `thinking` block"
    return None
