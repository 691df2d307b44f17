"""What each model does differently, from `models.yaml`, and what follows for a request.

The table's facts come from Anthropic's documentation (each names its sources); this module
turns them into the emulator's answers: whether a request thinks, with which `display`, and
why a model rejects a request with 400. A model id the table lacks is answered as an
unknown model (404), as the API answers one.

The ids the emulator knows are the table's, never the installed SDK's: the table ships with
the emulator kit (`make wheel`), so a reader's newer or older `anthropic` does not change
what it answers. tests/emulator/test_models.py checks the table lists exactly the pinned
SDK's `anthropic.types.Model`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml

TABLE = Path(__file__).parent / "models.yaml"
FACTS = (
    "thinking_default",
    "thinking_types",
    "display_default",
    "prefill",
    "sampling",
    "forced_tool_choice",
    "max_output_tokens",
    "context_window",
    "cache_min_tokens",
)
ThinkingType = Literal["enabled", "adaptive", "disabled", "between_tools"]


class ModelFacts(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    ids: tuple[str, ...]
    name: str
    thinking_default: Literal["off", "adaptive", "always"]
    thinking_types: tuple[ThinkingType, ...]
    display_default: Literal["summarized", "omitted"]
    prefill: bool
    sampling: bool
    forced_tool_choice: bool
    max_output_tokens: int
    context_window: int
    cache_min_tokens: int
    assumed: tuple[str, ...] = ()
    sources: dict[str, tuple[str, ...]]

    @pydantic.model_validator(mode="after")
    def _every_fact_sourced_or_assumed(self):
        unknown = (set(self.sources) | set(self.assumed)) - set(FACTS)
        if unknown:
            raise ValueError(f"{self.name}: no such fact {sorted(unknown)}")
        missing = [f for f in FACTS if f not in self.sources and f not in self.assumed]
        if missing:
            raise ValueError(f"{self.name}: {missing} need a source, or `assumed`")
        return self


class Table(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    documents: dict[str, str]
    models: tuple[ModelFacts, ...]

    @pydantic.model_validator(mode="after")
    def _sources_are_documents(self):
        for entry in self.models:
            for fact, names in entry.sources.items():
                if unknown := [n for n in names if n not in self.documents]:
                    raise ValueError(f"{entry.name}, {fact}: no document named {unknown}")
        return self


@functools.cache
def table() -> Table:
    try:
        return Table.model_validate(yaml.safe_load(TABLE.read_text(encoding="utf-8")))
    except pydantic.ValidationError as err:
        raise ValueError(f"{TABLE}: {err}") from err


def known() -> tuple[str, ...]:
    """Every model id the emulator answers (the table's, in its order): the pinned SDK's
    list when the table was last checked against it."""
    return tuple(model_id for entry in table().models for model_id in entry.ids)


def facts(model: object) -> ModelFacts | None:
    """The table's entry for a model id; None for an id the table does not hold."""
    return next((m for m in table().models if model in m.ids), None)


# --- what a request gets -------------------------------------------------------------------


def _thinking(body: dict[str, Any]) -> dict[str, Any]:
    thinking = body.get("thinking")
    return thinking if isinstance(thinking, dict) else {}


def thinking_type(body: dict[str, Any]) -> str:
    """The request's `thinking.type`, or what the model does without one."""
    if "type" in _thinking(body):
        return str(_thinking(body)["type"])
    entry = facts(body.get("model"))
    return "disabled" if entry is None or entry.thinking_default == "off" else "adaptive"


def thinks(body: dict[str, Any]) -> bool:
    """Whether the answer may hold thinking blocks (`between_tools` writes none before its
    answer). A forced tool choice skips thinking where the model allows one at all."""
    forced = (body.get("tool_choice") or {}).get("type") in ("any", "tool")
    return thinking_type(body) in ("enabled", "adaptive") and not forced


def display(body: dict[str, Any]) -> str:
    """`summarized` or `omitted`: the request's `thinking.display`, or the model's default."""
    if "display" in _thinking(body):
        return str(_thinking(body)["display"])
    entry = facts(body.get("model"))
    return entry.display_default if entry is not None else "summarized"


# The API's words where Anthropic's thinking troubleshooting page or a model page quotes
# them; otherwise the emulator's own, in the same style.
THINKING_REJECTED = {
    "enabled": '"thinking.type.enabled" is not supported for this model. Use '
    '"thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    "adaptive": "adaptive thinking is not supported on this model",
    "between_tools": '"thinking.type.between_tools" is not supported for this model.',
    "disabled": '"thinking.type.disabled" is not supported for this model.',
}
DISABLED_ON_BETWEEN_TOOLS_MODELS = (
    'To turn thinking off on this model, send "thinking": {"type": "between_tools"} '
    'instead of {"type": "disabled"}.'
)
FORCED_TOOL_CHOICE = 'tool_choice: type "tool" and "any" are not supported for this model.'
FORCED_TOOL_CHOICE_WITH_THINKING = "Thinking may not be enabled when tool_choice forces tool use."
# Anthropic documents that prefill returns 400 from Claude 4.6 on; this wording is the one
# readers quote from the API (not on an Anthropic page).
PREFILL = (
    "This model does not support assistant message prefill. "
    "The conversation must end with a user message."
)
SAMPLING = ("temperature", "top_p", "top_k")


def problem(body: dict[str, Any]) -> str | None:
    """Why this model rejects the request with 400, if it does (None: accepted, or an
    unknown model, which the scenarios answer with 404)."""
    entry = facts(body.get("model"))
    if entry is None:
        return None
    requested = _thinking(body).get("type")
    if requested is not None and requested not in entry.thinking_types:
        if requested == "disabled" and "between_tools" in entry.thinking_types:
            return DISABLED_ON_BETWEEN_TOOLS_MODELS
        return THINKING_REJECTED.get(str(requested), f"thinking.type: {requested!r} is invalid")
    forced = (body.get("tool_choice") or {}).get("type") in ("any", "tool")
    if forced and not entry.forced_tool_choice:
        return FORCED_TOOL_CHOICE
    if forced and requested == "enabled":
        return FORCED_TOOL_CHOICE_WITH_THINKING
    if not entry.sampling and (sent := [p for p in SAMPLING if p in body]):
        return f"{sent[0]}: is not supported for this model."
    if body.get("max_tokens", 0) > entry.max_output_tokens:
        return (
            f"max_tokens: {body['max_tokens']} > {entry.max_output_tokens}, which is the "
            f"maximum allowed number of output tokens for {body['model']}"
        )
    return None


def ends_with_prefill(body: dict[str, Any]) -> bool:
    """A final assistant turn of text alone: a prefill, not a paused turn sent back."""
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    if not isinstance(last, dict) or last.get("role") != "assistant":
        return False
    content = last.get("content")
    return isinstance(content, str) or all(
        isinstance(b, dict) and b.get("type") == "text" for b in content or []
    )
