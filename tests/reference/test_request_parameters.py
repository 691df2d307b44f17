"""docs/reference/request-parameters.md agrees with the SDK, row by row, both ways."""

from __future__ import annotations

import inspect

from anthropic.resources.messages.messages import AsyncMessages, Messages
from anthropic.types.message_create_params import MessageCreateParamsStreaming

from streamdocs.paths import rel
from streamdocs.sdk_types import annotation_text, strip_required
from streamdocs.site.tables import code, column, name_of, read_table
from tests.reference.common import REFERENCE, assert_cells, assert_same_names

# --- request-parameters.md -----------------------------------------------------------------------

PARAMS_PAGE = REFERENCE / "request-parameters.md"
PARAMS_SOURCE = "anthropic.types.message_create_params.MessageCreateParamsStreaming"


def body_fields() -> dict[str, tuple[bool, str]]:
    """Each key of the streaming params TypedDict: (required, type as the SDK writes it)."""
    fields = {}
    for key, annotation in MessageCreateParamsStreaming.__annotations__.items():
        required, text = strip_required(annotation_text(annotation))
        fields[key] = (required or key in MessageCreateParamsStreaming.__required_keys__, text)
    return fields


def test_body_fields_match_the_sdk():
    table = read_table(PARAMS_PAGE, "Body fields")
    name, req, typ = column(table, "Parameter"), column(table, "Required"), column(table, "Type")
    sdk = body_fields()
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(sdk), PARAMS_SOURCE)
    mismatches = []
    for row in table.rows:
        param = name_of(row[name])
        required, annotation = sdk[param]
        if row[req] != ("yes" if required else "no"):
            mismatches.append(
                f"{table.where(param)}: Required says {row[req]!r}, the SDK says "
                f"{'required' if required else 'optional'}"
            )
        if code(row[typ]) != annotation:
            mismatches.append(
                f"{table.where(param)}: Type is {row[typ]}, the SDK says `{annotation}`"
            )
    assert_cells(table, mismatches)


def test_required_body_fields_are_the_required_arguments_of_stream():
    """`stream` aside, the helper's required keywords are the body's required fields."""
    required = {key for key, (req, _) in body_fields().items() if req} - {"stream"}
    for method in (Messages.stream, AsyncMessages.stream):
        params = inspect.signature(method).parameters.values()
        no_default = {p.name for p in params if p.default is p.empty and p.name != "self"}
        assert no_default == required, (
            f"{method.__qualname__} requires {sorted(no_default)}, but {PARAMS_SOURCE} "
            f"requires {sorted(required)}; check the Required column of {rel(PARAMS_PAGE)}"
        )


def test_sdk_only_arguments_match_the_signature_of_stream():
    table = read_table(PARAMS_PAGE, "Arguments only the SDK takes")
    name, typ = column(table, "Argument"), column(table, "Type")
    signature = inspect.signature(Messages.stream).parameters
    async_signature = inspect.signature(AsyncMessages.stream).parameters
    assert list(signature) == list(async_signature), (
        "Messages.stream and AsyncMessages.stream take different arguments: "
        f"{sorted(set(signature) ^ set(async_signature))}"
    )
    extra = {n: p for n, p in signature.items() if n != "self" and n not in body_fields()}
    source = "the signature of Messages.stream (beyond the body fields)"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(extra), source)
    mismatches = [
        f"{table.where(name_of(row[name]))}: Type is {row[typ]}, the SDK says "
        f"`{annotation_text(extra[name_of(row[name])].annotation)}`"
        for row in table.rows
        if code(row[typ]) != annotation_text(extra[name_of(row[name])].annotation)
    ]
    assert_cells(table, mismatches)
