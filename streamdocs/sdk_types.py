"""Reading the SDK's public types as the reference pages name them: a dotted name's object,
a union's members, a model's `type` literal, an annotation as the source spells it."""

from __future__ import annotations

import importlib
import inspect
import re
import typing


def resolve(dotted: str):
    """The object `anthropic.types.Message` names, or None when the SDK has no such name."""
    module, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr, None)
    except ImportError:
        return None


def union_members(tp) -> tuple:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return typing.get_args(tp)


def type_literal(model) -> str:
    (value,) = typing.get_args(model.model_fields["type"].annotation)
    return value


def annotation_text(annotation) -> str:
    """An annotation as the SDK's source spells it (its modules use postponed annotations)."""
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def strip_required(text: str) -> tuple[bool, str]:
    match = re.fullmatch(r"Required\[(.*)\]", text)
    return (True, match[1]) if match else (False, text)
