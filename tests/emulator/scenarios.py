"""Scenario files: loading them, and choosing one for a request.

The schema is documented in README.md next to this file. Loading is strict (unknown keys
raise) so a typo in a scenario file fails loudly instead of being silently ignored.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from anthropic.types import Model

SCENARIO_DIR = Path(__file__).parent / "scenarios"
DEFAULT = "text"

_REPLY_KEYS = {
    "content",
    "stop_reason",
    "usage",
    "max_tokens",
    "error",
    "interrupt",
    "gzip",
    "pings",
}
_USAGE_KEYS = {
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
}


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


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    prompt: re.Pattern[str] | None
    replies: tuple[Reply, ...]  # by attempt; the last one answers every later attempt

    def reply(self, attempt: int) -> Reply:
        return self.replies[min(attempt, len(self.replies) - 1)]


def load_scenarios(directory: Path = SCENARIO_DIR) -> dict[str, Scenario]:
    """All scenarios in `directory`, in file-name order (the order prompts are matched in)."""
    return {path.stem: load_scenario(path) for path in sorted(directory.glob("*.yaml"))}


def load_scenario(path: Path) -> Scenario:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        _check_keys(data, {"description", "match", "attempts"} | _REPLY_KEYS, "scenario")
        base = {k: v for k, v in data.items() if k in _REPLY_KEYS}
        overrides = data.get("attempts", [])
        replies = [_reply({**base, **o}) for o in overrides] + [_reply(base)]
        match = data.get("match") or {}
        _check_keys(match, {"prompt"}, "match")
        prompt = re.compile(match["prompt"], re.IGNORECASE) if "prompt" in match else None
        return Scenario(path.stem, data["description"], prompt, tuple(replies))
    except (KeyError, TypeError, ValueError, re.error) as err:
        raise ValueError(f"{path}: {err}") from err


def _reply(data: dict[str, Any]) -> Reply:
    _check_keys(data, _REPLY_KEYS, "reply")
    usage = data.get("usage")
    if usage is not None:
        _check_keys(usage, _USAGE_KEYS, "usage")
    return Reply(
        content=tuple(_block(b) for b in data.get("content", [])),
        stop_reason=data.get("stop_reason"),
        usage=usage,
        max_tokens=data.get("max_tokens"),
        error=_error(data["error"]) if "error" in data else None,
        interrupt=_interrupt(data["interrupt"]) if "interrupt" in data else None,
        gzip=bool(data.get("gzip", False)),
        pings=int(data.get("pings", 1)),
    )


def _block(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise a scenario block to {"type": ..., ...} (tool name/input resolved later)."""
    if "text" in data:
        _check_keys(data, {"text"}, "text block")
        return {"type": "text", "text": str(data["text"])}
    if "thinking" in data:
        _check_keys(data, {"thinking", "signature"}, "thinking block")
        return {
            "type": "thinking",
            "thinking": data["thinking"],
            "signature": data.get("signature"),
        }
    if "tool_use" in data:
        _check_keys(data, {"tool_use"}, "tool_use block")
        tool = data["tool_use"]
        _check_keys(tool, {"name", "input"}, "tool_use")
        return {"type": "tool_use", "name": tool.get("name"), "input": dict(tool.get("input", {}))}
    raise ValueError(f"content block needs text, thinking or tool_use: {data!r}")


def _error(data: dict[str, Any]) -> ErrorSpec:
    _check_keys(data, {"status", "type", "message", "retry_after"}, "error")
    return ErrorSpec(int(data["status"]), data["type"], data["message"], data.get("retry_after"))


def _interrupt(data: dict[str, Any]) -> Interrupt:
    _check_keys(data, {"after_chars", "error", "cut", "stall_seconds"}, "interrupt")
    kinds = [k for k in ("error", "cut", "stall_seconds") if data.get(k)]
    if len(kinds) != 1:
        raise ValueError(f"interrupt needs exactly one of error, cut, stall_seconds: {data!r}")
    return Interrupt(
        after_chars=int(data["after_chars"]),
        error=_error(data["error"]) if "error" in data else None,
        cut=bool(data.get("cut", False)),
        stall_seconds=float(data.get("stall_seconds", 0.0)),
    )


def _check_keys(data: Any, allowed: set[str], what: str) -> None:
    if not isinstance(data, dict):
        raise TypeError(f"{what} must be a mapping, got {data!r}")
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unknown {what} keys: {sorted(unknown)}")


# --- choosing a scenario -------------------------------------------------------------------

# Read from the pinned SDK so the emulator knows exactly the models the SDK knows.
KNOWN_MODELS = frozenset(
    value
    for arg in typing.get_args(Model)
    if typing.get_origin(arg) is typing.Literal
    for value in typing.get_args(arg)
)


def choose(scenarios: dict[str, Scenario], body: dict[str, Any], headers: dict[str, str]) -> str:
    """Name of the scenario that answers an (unforced) request, in the documented order."""
    if not has_valid_key(headers):
        return "unauthorized"
    if body.get("model") not in KNOWN_MODELS:
        return "unknown_model"
    if body.get("tools"):
        return "tool_use"
    if (body.get("thinking") or {}).get("type", "disabled") != "disabled":
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
