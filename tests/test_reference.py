"""The Reference pages agree with the installed anthropic SDK, row by row, both ways.

Each test reads one Markdown table (the rows under a `## Heading` of a page in
docs/reference/) and compares it with what the SDK says by introspection. A row
the SDK does not have, a name the SDK has that the table lacks, or a cell that
disagrees fails with the page, the table, the row and the SDK's own value.
When the SDK bump workflow (.github/workflows/sdk-bump.yml) moves the SDK, these
failures, in its pull request's report, are the to-do list.
"""

from __future__ import annotations

import importlib
import inspect
import re
import typing
from pathlib import Path

import anthropic
import anthropic.types
import httpx2
import pytest
from anthropic.lib.streaming import AsyncMessageStream, MessageStream
from anthropic.lib.streaming import _types as helper_types
from anthropic.resources.messages.messages import AsyncMessages, Messages
from anthropic.types.message_create_params import MessageCreateParamsStreaming

from streamdocs import sdk_internals
from streamdocs.paths import DOCS, rel
from streamdocs.site.tables import Table, read_table

REFERENCE = DOCS / "reference"


# --- reading the pages ---------------------------------------------------------------------------


def name_of(cell: str) -> str:
    """`get_final_text()` -> get_final_text; `anthropic.APIError` -> anthropic.APIError."""
    return cell.strip().strip("`").removesuffix("()")


def code(cell: str) -> str:
    """The text of a cell that is one code span."""
    match = re.fullmatch(r"`([^`]*)`", cell.strip())
    assert match, f"expected one `code` span, found {cell!r}"
    return match[1]


def column(table: Table, name: str) -> int:
    assert name in table.header, f"{table.where()} has no column '{name}' ({table.header})"
    return table.header.index(name)


def assert_same_names(table: Table, documented: list[str], sdk: set[str], sdk_source: str) -> None:
    """Both ways: no row the SDK lacks, no SDK name without a row, no duplicate row."""
    problems = []
    for name in sorted({n for n in documented if documented.count(n) > 1}):
        problems.append(f"{table.where(name)} appears more than once")
    extra = [name for name in documented if name not in sdk]
    for name in extra:
        problems.append(f"{table.where(name)} is not in {sdk_source}")
    if extra:
        problems.append(f"  (the SDK has: {', '.join(sorted(sdk)) or 'none'})")
    for name in sorted(sdk - set(documented)):
        problems.append(f"{table.where()} lacks a row for `{name}`, which is in {sdk_source}")
    if problems:
        pytest.fail("\n".join(problems) + f"\nFix: edit {rel(table.page)}.", pytrace=False)


def assert_cells(table: Table, mismatches: list[str]) -> None:
    if mismatches:
        pytest.fail("\n".join(mismatches) + f"\nFix: edit {rel(table.page)}.", pytrace=False)


# --- reading the SDK -----------------------------------------------------------------------------


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


# --- events.md -----------------------------------------------------------------------------------

EVENTS_PAGE = REFERENCE / "events.md"


def test_wire_events_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Wire events")
    name = column(table, "Event")
    # ping and error are not models: Stream.__stream__ skips the one and raises on the other.
    stream_source = sdk_internals.stream_decoder_source()
    handled = {e for e in ("ping", "error") if f'sse.event == "{e}"' in stream_source}
    sdk = {type_literal(m) for m in union_members(anthropic.types.RawMessageStreamEvent)} | handled
    source = "anthropic.types.RawMessageStreamEvent (plus the events Stream.__stream__ handles)"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], sdk, source)


def test_wire_message_stop_carries_nothing_but_its_type():
    """The page says the wire `message_stop` is exactly {"type": "message_stop"}."""
    table = read_table(EVENTS_PAGE, "Wire events")
    row = next(r for r in table.rows if name_of(r[0]) == "message_stop")
    fields = set(anthropic.types.RawMessageStopEvent.model_fields)
    assert '`{"type": "message_stop"}`' in row[column(table, "Payload")] and fields == {"type"}, (
        f"{table.where('message_stop')}: anthropic.types.RawMessageStopEvent has fields "
        f"{sorted(fields)}; update the Payload cell"
    )


def test_delta_types_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Delta types")
    name, field = column(table, "Delta type"), column(table, "Field")
    helper = column(table, "Helper event")
    models = {type_literal(m): m for m in union_members(anthropic.types.RawContentBlockDelta)}
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, set(models), "anthropic.types.RawContentBlockDelta")
    helper_events = {type_literal(m) for m in _helper_event_models()}
    mismatches = []
    for row in table.rows:
        delta = name_of(row[name])
        payload = set(models[delta].model_fields) - {"type"}
        if {code(row[field])} != payload:
            mismatches.append(
                f"{table.where(delta)}: Field is {row[field]}, "
                f"the SDK's model has {sorted(payload)}"
            )
        if name_of(row[helper]) not in helper_events:
            mismatches.append(
                f"{table.where(delta)}: Helper event {row[helper]} is not one of the helper's "
                f"events ({', '.join(sorted(helper_events))})"
            )
    assert_cells(table, mismatches)


def test_content_block_types_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Content block types")
    name = column(table, "Block type")
    sdk = {type_literal(m) for m in union_members(anthropic.types.ContentBlock)}
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, sdk, "anthropic.types.ContentBlock")


def stop_reason_docs() -> dict[str, str]:
    """Each `- "reason": text` bullet of the docstring of Message.stop_reason."""
    source = inspect.getsource(anthropic.types.Message)
    docstring = re.search(r'stop_reason: .*?\n\s*"""(.*?)"""', source, re.S)[1]
    bullets = re.findall(r'^\s*- `"(\w+)"`: (.*?)(?=^\s*- `"|^\s*$)', docstring, re.M | re.S)
    return {reason: " ".join(text.split()) for reason, text in bullets}


def test_stop_reasons_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Stop reasons")
    name, said = column(table, "Stop reason"), column(table, "The SDK says")
    sdk = set(typing.get_args(anthropic.types.StopReason))
    documented = [name_of(row[name]) for row in table.rows]
    assert_same_names(table, documented, sdk, "anthropic.types.StopReason")
    docs = stop_reason_docs()
    assert set(docs) == sdk, f"Message.stop_reason's docstring describes {sorted(docs)}"
    assert_cells(
        table,
        [
            f"{table.where(name_of(row[name]))}: The SDK says {row[said]!r}, "
            f"but Message.stop_reason's docstring says {docs[name_of(row[name])]!r}"
            for row in table.rows
            if " ".join(row[said].split()) != docs[name_of(row[name])]
        ],
    )


def _helper_event_models() -> list:
    """The events MessageStream adds or replaces: those defined in lib/streaming/_types.py."""
    members = union_members(helper_types.MessageStreamEvent)
    return [m for m in members if m.__module__ == helper_types.__name__]


def test_helper_events_match_the_sdk():
    table = read_table(EVENTS_PAGE, "Helper events")
    name, fields = column(table, "Event"), column(table, "Fields")
    models = {type_literal(m): m for m in _helper_event_models()}
    source = "the events anthropic/lib/streaming/_types.py adds to MessageStreamEvent"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(models), source)
    mismatches = []
    for row in table.rows:
        event = name_of(row[name])
        sdk_fields = set(models[event].model_fields) - {"type"}
        written = set(re.findall(r"`(\w+)`", row[fields]))
        if not sdk_fields <= written:
            mismatches.append(
                f"{table.where(event)}: Fields lacks {sorted(sdk_fields - written)} "
                f"(the SDK's {models[event].__name__} has {sorted(sdk_fields)})"
            )
    assert_cells(table, mismatches)


# --- helpers.md ----------------------------------------------------------------------------------

HELPERS_PAGE = REFERENCE / "helpers.md"


def public_members(cls) -> dict[str, tuple[str, str, bool]]:
    """name -> (kind, return annotation, is a coroutine) for each public member."""
    members = {}
    for name, annotation in cls.__annotations__.items():
        if not name.startswith("_"):
            members[name] = ("attribute", annotation_text(annotation), False)
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            ret = annotation_text(value.fget.__annotations__.get("return", "?"))
            members[name] = ("property", ret, False)
        elif inspect.isfunction(value):
            ret = annotation_text(value.__annotations__.get("return", "?"))
            members[name] = ("method", ret, inspect.iscoroutinefunction(value))
    return members


def test_helper_members_match_the_sdk():
    table = read_table(HELPERS_PAGE, "Members")
    name, kind = column(table, "Member"), column(table, "Kind")
    columns = {
        cls: column(table, f"`{cls.__name__}`") for cls in (MessageStream, AsyncMessageStream)
    }
    sync, both = public_members(MessageStream), public_members(AsyncMessageStream)
    assert set(sync) == set(both), (
        f"MessageStream and AsyncMessageStream differ in {sorted(set(sync) ^ set(both))}: "
        f"{rel(HELPERS_PAGE)} has one table for both; give it a column or a note"
    )
    source = "the public members of anthropic.lib.streaming.MessageStream"
    assert_same_names(table, [name_of(row[name]) for row in table.rows], set(sync), source)
    mismatches = []
    for row in table.rows:
        member = name_of(row[name])
        if row[kind] != sync[member][0]:
            mismatches.append(
                f"{table.where(member)}: Kind is {row[kind]!r}, the SDK has a {sync[member][0]}"
            )
        for cls, at in columns.items():
            _, returns, coroutine = public_members(cls)[member]
            expected = f"`await` → `{returns}`" if coroutine else f"`{returns}`"
            if row[at] != expected:
                mismatches.append(
                    f"{table.where(member)}: column {cls.__name__} is {row[at]}, "
                    f"the SDK says {expected}"
                )
    assert_cells(table, mismatches)


def test_current_message_snapshot_asserts_as_documented():
    """The page says current_message_snapshot fails with AssertionError before message_start."""
    for cls in (MessageStream, AsyncMessageStream):
        source = inspect.getsource(vars(cls)["current_message_snapshot"].fget)
        assert "assert " in source, (
            f"{cls.__name__}.current_message_snapshot no longer asserts; "
            f"update its row in {rel(HELPERS_PAGE)}"
        )


def test_get_final_text_raises_as_documented():
    """The page says get_final_text() raises RuntimeError when there is no text block."""
    for cls in (MessageStream, AsyncMessageStream):
        assert "raise RuntimeError" in inspect.getsource(cls.get_final_text), (
            f"{cls.__name__}.get_final_text no longer raises RuntimeError; "
            f"update its row in {rel(HELPERS_PAGE)}"
        )


# --- exceptions.md -------------------------------------------------------------------------------

EXCEPTIONS_PAGE = REFERENCE / "exceptions.md"
EXCEPTIONS_SOURCE = "the exceptions `anthropic` exports"


def sdk_exceptions() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(anthropic).items()
        if not name.startswith("_") and inspect.isclass(value) and issubclass(value, BaseException)
    }


def error_code(cls) -> str | None:
    """The `error_code` Literal a subclass pins, if any."""
    annotation = cls.__dict__.get("__annotations__", {}).get("error_code")
    match = re.fullmatch(r"Literal\[['\"](.+)['\"]\]", annotation_text(annotation or ""))
    return match[1] if match else None


def status_of(cls) -> int | None:
    status = getattr(cls, "status_code", None)
    return status if isinstance(status, int) else None


def _classes_table(heading: str, kind: str, include) -> tuple[Table, dict[str, type]]:
    table = read_table(EXCEPTIONS_PAGE, heading)
    sdk = {n: c for n, c in sdk_exceptions().items() if include(n, c)}
    documented = [name_of(row[column(table, table.header[0])]) for row in table.rows]
    assert_same_names(table, documented, set(sdk), f"{kind} among {EXCEPTIONS_SOURCE}")
    return table, sdk


def _parent_and_status(table: Table, sdk: dict[str, type]) -> list[str]:
    parent, status = column(table, "Parent"), column(table, "Status")
    mismatches = []
    for row in table.rows:
        name = name_of(row[0])
        cls = sdk[name]
        base = cls.__bases__[0].__name__
        if name_of(row[parent]) != base:
            mismatches.append(
                f"{table.where(name)}: Parent is {row[parent]}, the SDK says `{base}`"
            )
        code_ = status_of(cls)
        if code_ is not None and row[status] != str(code_):
            mismatches.append(
                f"{table.where(name)}: Status is {row[status]!r}, the SDK says {code_}"
            )
        if code_ is None and row[status].isdigit():
            mismatches.append(
                f"{table.where(name)}: Status is {row[status]!r}, the SDK pins no status code"
            )
    return mismatches


def _exception_classes_table() -> tuple[Table, dict[str, type]]:
    return _classes_table(
        "Exception classes", "the classes", lambda n, c: c.__name__ == n and error_code(c) is None
    )


def test_exception_classes_match_the_sdk():
    table, sdk = _exception_classes_table()
    assert_cells(table, _parent_and_status(table, sdk))


def _retried(status: int) -> bool:
    client = anthropic.Anthropic(api_key="sk-ant-reference", base_url="http://127.0.0.1:9")
    return client._should_retry(httpx2.Response(status))


def test_exception_descriptions_say_after_retries_exactly_for_retried_statuses():
    """`When a stream raises it` says "after retries" for a status the SDK retries, only then."""
    table, sdk = _exception_classes_table()
    status, when = column(table, "Status"), column(table, "When a stream raises it")
    mismatches = []
    for row in table.rows:
        name = name_of(row[0])
        code_ = status_of(sdk[name]) or (500 if row[status] == "5xx" else None)
        if code_ is None:
            continue
        said = "after retries" in row[when]
        if said != _retried(code_):
            mismatches.append(
                f"{table.where(name)}: When says {row[when]!r}, but the SDK "
                f"{'retries' if _retried(code_) else 'does not retry'} status {code_} "
                "(_base_client.py _should_retry)"
            )
    assert_cells(table, mismatches)


def test_error_code_example_is_what_the_sdk_raises():
    """The page's example of an unexported error-code class."""
    cls = sdk_internals.ERROR_CLASSES.get((529, "compaction_unavailable"))
    assert cls is not None and cls.__name__ == "CompactionUnavailableError", (
        f"{rel(EXCEPTIONS_PAGE)}: the SDK no longer maps (529, compaction_unavailable) "
        "to CompactionUnavailableError; pick another example"
    )
    assert cls.__bases__ == (anthropic.OverloadedError,) and not hasattr(anthropic, cls.__name__)
    assert f"`{cls.__module__}.{cls.__name__}`, an `OverloadedError`" in " ".join(
        EXCEPTIONS_PAGE.read_text(encoding="utf-8").split()
    )


def test_error_code_subclasses_match_the_sdk():
    table, sdk = _classes_table(
        "Error-code subclasses",
        "the subclasses with an error_code",
        lambda n, c: c.__name__ == n and error_code(c) is not None,
    )
    mismatches = _parent_and_status(table, sdk)
    at = column(table, "`error_code`")
    for row in table.rows:
        name = name_of(row[0])
        if name_of(row[at]) != error_code(sdk[name]):
            mismatches.append(
                f"{table.where(name)}: error_code is {row[at]}, "
                f"the SDK says `{error_code(sdk[name])}`"
            )
    assert_cells(table, mismatches)


def test_deprecated_aliases_match_the_sdk():
    table, sdk = _classes_table("Deprecated aliases", "the aliases", lambda n, c: c.__name__ != n)
    same = column(table, "Same class as")
    assert_cells(
        table,
        [
            f"{table.where(name_of(row[0]))}: is the SDK's `{sdk[name_of(row[0])].__name__}`, "
            f"not {row[same]}"
            for row in table.rows
            if name_of(row[same]) != sdk[name_of(row[0])].__name__
        ],
    )


def _resolve(dotted: str):
    module, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr, None)
    except ImportError:
        return None


def test_mid_stream_exceptions_exist_with_their_parents():
    """The Parent column means the direct base, not any ancestor."""
    table = read_table(EXCEPTIONS_PAGE, "During the stream")
    parent = column(table, "Parent")
    mismatches = []
    for row in table.rows:
        name, base = name_of(row[0]), name_of(row[parent])
        cls, base_cls = _resolve(name), _resolve(base)
        if cls is None or base_cls is None:
            mismatches.append(f"{table.where(name)}: {name} or {base} does not exist")
        elif base_cls not in cls.__bases__:
            direct = ", ".join(f"`{b.__module__}.{b.__name__}`" for b in cls.__bases__)
            mismatches.append(
                f"{table.where(name)}: Parent is {row[parent]}, the direct base is {direct}"
            )
    assert_cells(table, mismatches)


# --- api/*.md (mkdocstrings) ---------------------------------------------------------------------

API_PAGES = REFERENCE / "api"
RENDERED = re.compile(r"^::: (anthropic\.\S+)$", re.MULTILINE)


def test_api_pages_render_every_exception_class():
    """The API reference is split over pages; a class the table lists must be on one of them."""
    rendered = {
        dotted.rpartition(".")[2]
        for page in sorted(API_PAGES.glob("*.md"))
        for dotted in RENDERED.findall(page.read_text(encoding="utf-8"))
    }
    table, _ = _exception_classes_table()
    missing = [name_of(row[0]) for row in table.rows if name_of(row[0]) not in rendered]
    assert not missing, (
        f"{rel(EXCEPTIONS_PAGE)} lists {', '.join(missing)}, which no page in {rel(API_PAGES)}/ "
        f"renders: add a `::: anthropic.<Class>` line to {rel(API_PAGES / 'exceptions.md')} "
        f"or {rel(API_PAGES / 'status-errors.md')}"
    )


# --- index.md: what is checked --------------------------------------------------------------------

INDEX_PAGE = REFERENCE / "index.md"

# The columns the tests above compare with the SDK, per (page, table). A column not named
# here is written by hand. `partly` marks a column of which the tests check one claim only.
CHECKED: dict[tuple[str, str], dict[str, str]] = {
    ("request-parameters.md", "Body fields"): {"Parameter": "", "Required": "", "Type": ""},
    ("request-parameters.md", "Arguments only the SDK takes"): {"Argument": "", "Type": ""},
    ("events.md", "Wire events"): {"Event": "", "Payload": "partly: `message_stop`"},
    ("events.md", "Delta types"): {"Delta type": "", "Field": "", "Helper event": ""},
    ("events.md", "Content block types"): {"Block type": ""},
    ("events.md", "Stop reasons"): {"Stop reason": "", "The SDK says": ""},
    ("events.md", "Helper events"): {"Event": "", "Fields": ""},
    ("helpers.md", "Members"): {
        "Member": "",
        "Kind": "",
        "`MessageStream`": "",
        "`AsyncMessageStream`": "",
        "What it does": "partly: the exceptions it names",
    },
    ("exceptions.md", "Exception classes"): {
        "Class": "",
        "Parent": "the direct base",
        "Status": "",
        "When a stream raises it": 'partly: "after retries"',
    },
    ("exceptions.md", "Error-code subclasses"): {
        "Class": "",
        "Parent": "the direct base",
        "Status": "",
        "`error_code`": "",
    },
    ("exceptions.md", "Deprecated aliases"): {"Alias": "", "Same class as": ""},
    ("exceptions.md", "During the stream"): {"Exception": "", "Parent": "the direct base"},
}


def _listed(cell: str) -> list[str]:
    """`A, B (partly: x), C` -> ["A", "B (partly: x)", "C"]: split on commas outside ()."""
    parts, part, depth = [], "", 0
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(part.strip())
            part = ""
        else:
            part += char
    return [p for p in [*parts, part.strip()] if p]


def _spelled(column_name: str, note: str) -> str:
    return f"{column_name} ({note})" if note else column_name


def test_the_index_says_which_columns_are_checked():
    """Every table on a reference page is listed, its checked and hand-written columns exact."""
    table = read_table(INDEX_PAGE, "What is checked")
    page, heading = column(table, "Page"), column(table, "Table")
    checked, by_hand = column(table, "Checked against the SDK"), column(table, "Written by hand")
    listed = {(row[page], row[heading]): row for row in table.rows}
    on_pages = {
        (path.name, line[3:].strip())
        for path in sorted(REFERENCE.glob("*.md"))
        if path != INDEX_PAGE
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ") and _has_table(path, line[3:].strip())
    }
    problems = [
        f"{rel(INDEX_PAGE)}: 'What is checked' lacks {key}" for key in on_pages - set(listed)
    ]
    problems += [
        f"{rel(INDEX_PAGE)}: 'What is checked' lists {key}, not a table"
        for key in set(listed) - on_pages
    ]
    assert set(CHECKED) == on_pages, (
        f"tests/test_reference.py CHECKED differs from the tables on the pages: "
        f"{sorted(set(CHECKED) ^ on_pages)}"
    )
    for key in sorted(on_pages & set(listed)):
        header = read_table(REFERENCE / key[0], key[1]).header
        expected = [_spelled(c, CHECKED[key][c]) for c in header if c in CHECKED[key]]
        hand = [c for c in header if c not in CHECKED[key]]
        row = listed[key]
        if _listed(row[checked]) != expected:
            problems.append(
                f"{rel(INDEX_PAGE)}: {key} Checked is {row[checked]!r}, "
                f"should be {', '.join(expected)!r}"
            )
        if _listed(row[by_hand]) != hand:
            problems.append(
                f"{rel(INDEX_PAGE)}: {key} Written by hand is {row[by_hand]!r}, "
                f"should be {', '.join(hand)!r}"
            )
    assert not problems, "\n".join(problems)


def _has_table(page: Path, heading: str) -> bool:
    try:
        read_table(page, heading)
    except AssertionError:
        return False
    return True


# --- api/*.md: SDK docstrings the site contradicts ---------------------------------------------

# A sentence of an SDK docstring this site knows to be wrong -> the member it is on. Each API
# page that renders the member must say so beside it, in a warning titled as below; when the
# SDK drops the sentence, the warning must go too.
WRONG_DOCSTRINGS = {
    "Currently the API will only respond with a single content block": "get_final_text",
}


def _warning(member: str) -> str:
    return f'!!! warning "`{member}()`: the note above is out of date"'


def test_wrong_sdk_docstrings_are_flagged_beside_them():
    problems = []
    for page in sorted(API_PAGES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for dotted in RENDERED.findall(text):
            obj = _resolve(dotted)
            for sentence, member in WRONG_DOCSTRINGS.items():
                doc = inspect.getdoc(getattr(obj, member, None)) or ""
                wrong = " ".join(sentence.split()) in " ".join(doc.split())
                flagged = _warning(member) in text
                if hasattr(obj, member) and wrong and not flagged:
                    problems.append(
                        f"{rel(page)} renders {dotted}.{member}, whose docstring says "
                        f"{sentence!r}; add `{_warning(member)}` beside it"
                    )
                if hasattr(obj, member) and flagged and not wrong:
                    problems.append(
                        f"{rel(page)} flags {dotted}.{member}, but the SDK's docstring no "
                        "longer says it: remove the warning and the WRONG_DOCSTRINGS entry"
                    )
    assert not problems, "\n".join(problems)
