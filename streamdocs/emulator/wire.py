"""What the Messages API puts on the wire: messages, stream events, their bytes, headers.

Everything here is a pure function of (scenario name, request body, attempt), so recording
the same request twice gives byte-identical bodies and ids; `cache_usage` also reads and fills
the prompt cache it is handed, as the API's cache does. The facts reproduced are the ones
in the project's wire-format brief (framing, padding, ping, event shapes, headers).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import itertools
import json
import math
import re
import uuid
from typing import Any

from jiter import from_json

from . import models
from .scenarios import Reply, client_tools

Event = dict[str, Any]

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Ids:
    """Deterministic identifiers derived from one seed per response."""

    def __init__(self, scenario: str, body: Any, attempt: int) -> None:
        self._seed = json.dumps([scenario, body, attempt], sort_keys=True, default=str)

    def digest(self, label: str) -> bytes:
        return hashlib.sha256(f"{self._seed}\0{label}".encode()).digest()

    def base58(self, label: str, length: int) -> str:
        number = int.from_bytes(self.digest(label), "big")
        chars = []
        for _ in range(length):
            number, rest = divmod(number, 58)
            chars.append(_BASE58[rest])
        return "".join(chars)

    def message_id(self) -> str:
        return "msg_01" + self.base58("message", 22)

    def request_id(self) -> str:
        return "req_011C" + self.base58("request", 20)

    def tool_use_id(self, index: int) -> str:
        return "toolu_01" + self.base58(f"tool_use {index}", 22)


def thinking_signature(thinking: str) -> str:
    """The signature of a thinking text: it changes with the text, so an edited thinking
    block sent back is caught, as the API catches it."""
    raw = b"".join(hashlib.sha256(f"{n}\0{thinking}".encode()).digest() for n in range(6))
    return base64.b64encode(raw).decode()


# --- the message -------------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def input_tokens(body: dict[str, Any]) -> int:
    prompt = [body.get("system"), body.get("messages"), body.get("tools")]
    return max(1, estimate_tokens(json.dumps(prompt, separators=(",", ":"))))


def build_message(reply: Reply, body: dict[str, Any], ids: Ids) -> dict[str, Any]:
    """The complete Message a non-streaming request would get (the stream's end state).

    Honours what shapes a real answer: max_tokens, stop_sequences, thinking on or off,
    thinking `display`, tool_choice. Blocks keep their `_` stream hints (see `public`).
    """
    budget = body["max_tokens"]
    if reply.max_tokens is not None:
        budget = min(budget, reply.max_tokens)
    stops = [s for s in body.get("stop_sequences") or [] if s]

    content, used, stop_reason, stop_sequence = [], 0, None, None
    blocks = reply.content
    schema = output_schema(body)
    if schema is not None and reply.stop_reason != "refusal":  # a refusal keeps its words
        blocks = _schema_answer(blocks, schema)
    for number, block in enumerate(blocks):
        if block["type"] in ("thinking", "redacted_thinking") and not models.thinks(body):
            continue  # a model without thinking enabled does not think
        block = _resolve_block(block, body, ids, content)
        if block["type"] == "text" and (hit := _first_stop(block["text"], stops)):
            block = {**block, "text": block["text"][: block["text"].index(hit)]}
            stop_reason, stop_sequence = "stop_sequence", hit
        cost = _block_tokens(block)
        if reply.max_tokens is not None and number == len(blocks) - 1 and used + cost <= budget:
            # a reply with a cap of its own stops at max_tokens, in the middle of its last
            # block, even when the request's tool schema made that block shorter
            budget = used + cost // 2
        if used + cost > budget:
            stop_reason, stop_sequence = "max_tokens", None
            room = (budget - used) * 4
            if block["type"] in ("text", "thinking") and room > 0:
                content.append({**block, block["type"]: block[block["type"]][:room]})
            elif block["type"] in ("tool_use", "server_tool_use") and room > 0:
                # the input's JSON is cut off where the budget ends
                partial = _input_json(block)[:room]
                content.append({**block, "input": _partial_input(partial), "_raw_json": partial})
            used = budget
            break
        content.append(block)
        used += cost
        if stop_reason == "stop_sequence":
            break

    if stop_reason is None:
        has_tool = any(b["type"] == "tool_use" for b in content)
        stop_reason = reply.stop_reason or ("tool_use" if has_tool else "end_turn")
        if stop_reason == "stop_sequence":
            stop_sequence = stops[0] if stops else None
    output = max(1, used)
    usage = {
        "input_tokens": input_tokens(body),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": output,
        "service_tier": "standard",
        "inference_geo": "global",
    }
    usage.update(reply.usage or {})
    usage["cache_creation"]["ephemeral_5m_input_tokens"] = usage["cache_creation_input_tokens"]
    return {
        "model": body.get("model"),
        "id": ids.message_id(),
        "type": "message",
        "role": "assistant",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "stop_details": reply.stop_details if stop_reason == "refusal" else None,
        "usage": usage,
    }


# What a model that thinks on its own thinks before an answer that brings no thinking of
# its own (seen only with display "summarized").
THOUGHT = "The question is clear; I can answer it directly."


def thought_first(reply: Reply, body: dict[str, Any]) -> Reply:
    """The reply with a thinking block first, when the model thinks for this request and
    the reply has none (a natural answer; a forced shape is sent as it is)."""
    kinds = {block["type"] for block in reply.content}
    if (
        not models.thinks(body)
        or reply.error is not None
        or kinds & {"thinking", "redacted_thinking"}
    ):
        return reply
    block = {"type": "thinking", "thinking": THOUGHT, "signature": None}
    return dataclasses.replace(reply, content=(block, *reply.content))


def public(message: dict[str, Any]) -> dict[str, Any]:
    """The message without the stream hints its blocks carry (`_`-prefixed keys)."""
    content = [{k: v for k, v in b.items() if not k.startswith("_")} for b in message["content"]]
    return {**message, "content": content}


def _first_stop(text: str, stops: list[str]) -> str | None:
    found = [(text.index(s), s) for s in stops if s in text]
    return min(found)[1] if found else None


def _resolve_block(
    block: dict[str, Any], body: dict, ids: Ids, before: list[dict]
) -> dict[str, Any]:
    """A scenario block as sent, given the blocks `before` it in this message."""
    index = len(before)
    if block["type"] == "thinking":
        # display "omitted" (asked for, or the model's default): the thinking text is
        # withheld, the signature still comes
        omitted = models.display(body) == "omitted"
        thinking = "" if omitted else block["thinking"]
        return {
            **block,
            "thinking": thinking,
            "signature": block["signature"] or thinking_signature(thinking),
        }
    if block["type"] == "server_tool_use":
        return {
            **block,
            "id": "srvtoolu_01" + ids.base58(f"server_tool_use {index}", 22),
            "name": block["name"] or "web_search",
        }
    if block.get("tool_use_id") == "auto":  # a server tool's result answers the call before it
        calls_before = [b["id"] for b in before if b["type"] == "server_tool_use"]
        return {**block, "tool_use_id": calls_before[-1] if calls_before else "srvtoolu_01"}
    if block["type"] != "tool_use":
        return dict(block)
    # tool_use: the tool tool_choice names, else the request's tools in turn
    tools = client_tools(body) or [{}]
    named = (body.get("tool_choice") or {}).get("name")
    calls = sum(b["type"] == "tool_use" for b in before)
    tool = next((t for t in tools if t.get("name") == named), tools[calls % len(tools)])
    exact = block.get("_exact") or "_raw_json" in block
    schema = tool.get("input_schema") or {}
    return {
        **block,
        "id": ids.tool_use_id(index),
        "name": tool.get("name") or block["name"] or "tool",
        "input": block["input"] if exact else _tool_input(block["input"], schema),
    }


def _input_json(block: dict[str, Any]) -> str:
    return block.get("_raw_json", _tool_json(block["input"]))


def _partial_input(partial: str) -> dict[str, Any]:
    """What a complete message holds for input cut off mid-JSON: what parses of it."""
    try:
        value = from_json(partial.encode(), partial_mode="trailing-strings")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _tool_input(preferred: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The scenario's input, fitted to the tool's schema (placeholders for unknown keys)."""
    properties = schema.get("properties") or {}
    if not properties:
        return preferred
    required = set(schema.get("required") or properties)
    return {
        key: preferred[key] if key in preferred else _placeholder(prop)
        for key, prop in properties.items()
        if key in required or key in preferred
    }


def _placeholder(prop: dict[str, Any]) -> Any:
    if prop.get("enum"):
        return prop["enum"][0]
    if "default" in prop:
        return prop["default"]
    kind = prop.get("type")
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(
        kind, "example"
    )


def _block_tokens(block: dict[str, Any]) -> int:
    if block["type"] in ("tool_use", "server_tool_use"):
        return estimate_tokens(_input_json(block))
    if block["type"] in ("text", "thinking"):
        return estimate_tokens(block[block["type"]])
    return 0  # redacted thinking, server tool results: not the model's visible output


def _tool_json(value: dict[str, Any]) -> str:
    # the API streams tool input with ", " and ": " separators
    return json.dumps(value, ensure_ascii=False)


# --- structured output --------------------------------------------------------------------


def output_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a request asks its answer to follow (`output_config.format`)."""
    fmt = (body.get("output_config") or {}).get("format") or {}
    return fmt.get("schema") if fmt.get("type") == "json_schema" else None


def _schema_answer(blocks: tuple[dict, ...], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The reply as a structured answer: one text block of JSON that fits `schema`, where
    the reply's first text was (its values taken from that text when it is a JSON object)."""
    out, answered = [], False
    for block in blocks:
        if block["type"] != "text":
            out.append(block)
            continue
        if answered:
            continue  # the answer is one JSON document, in one block
        answered = True
        try:
            preferred = json.loads(block["text"])
        except ValueError:
            preferred = None
        value = schema_value(preferred, schema, schema.get("$defs") or {})
        out.append({**block, "text": json.dumps(value, ensure_ascii=False)})
    return out


def schema_value(preferred: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A value valid against `schema`: `preferred` where it fits, placeholders elsewhere.

    Knows what the SDK's `transform_schema` emits: $ref into $defs, anyOf, enum, const,
    objects with required properties, arrays. Constraints it moves into descriptions
    (minimum, pattern...) are not honoured.
    """
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return schema_value(preferred, defs[ref.removeprefix("#/$defs/")], defs)
    if schema.get("anyOf"):
        return schema_value(preferred, schema["anyOf"][0], defs)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return preferred if preferred in schema["enum"] else schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        given = preferred if isinstance(preferred, dict) else {}
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or properties)
        return {
            key: schema_value(given.get(key), prop, defs)
            for key, prop in properties.items()
            if key in required or key in given
        }
    if kind == "array":
        items = preferred if isinstance(preferred, list) else []
        return [schema_value(item, schema.get("items") or {}, defs) for item in items]
    fits = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
    }.get(kind)
    if (
        fits is not None
        and isinstance(preferred, fits)
        and (kind == "boolean" or not isinstance(preferred, bool))
    ):
        return preferred
    if kind == "string" and schema.get("format") in _FORMATTED:
        return _FORMATTED[schema["format"]]
    return {"integer": 1, "number": 1, "boolean": True, "null": None}.get(kind, "example")


# A valid value for each string format the SDK's transform_schema keeps.
_FORMATTED = {
    "date-time": "2026-01-01T00:00:00Z",
    "time": "12:00:00",
    "date": "2026-01-01",
    "duration": "P1D",
    "email": "someone@example.com",
    "hostname": "example.com",
    "uri": "https://example.com/",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


# --- prompt caching --------------------------------------------------------------------------

_LOOKBACK = 20  # blocks a breakpoint looks back for an earlier request's entry


def min_cacheable(model: str) -> int:
    """The shortest prefix a model caches (models.yaml); a breakpoint on a shorter prefix
    is ignored without an error."""
    entry = models.facts(model)
    return entry.cache_min_tokens if entry is not None else 1024


def prompt_blocks(body: dict[str, Any]) -> list[tuple[Any, str | None]]:
    """The prompt in cache order (tools, system, then each message's blocks), each block
    with the TTL of the breakpoint it carries, if any. A top-level `cache_control` puts
    one on the last block, unless that block has its own."""
    blocks: list[tuple[Any, str | None]] = []

    def add(block: Any, where: str) -> None:
        marker = block.get("cache_control") if isinstance(block, dict) else None
        ttl = (marker.get("ttl") or "5m") if isinstance(marker, dict) else None
        plain = {k: v for k, v in block.items() if k != "cache_control"}
        blocks.append(([where, plain], ttl))

    for tool in body.get("tools") or []:
        add(tool, "tool")
    system = body.get("system")
    for block in [{"type": "text", "text": system}] if isinstance(system, str) else system or []:
        add(block, "system")
    for message in body.get("messages") or []:
        content = message.get("content")
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        for block in content or []:
            add(block, message.get("role"))
    top = body.get("cache_control")
    if isinstance(top, dict) and blocks and blocks[-1][1] is None:
        blocks[-1] = (blocks[-1][0], top.get("ttl") or "5m")
    return blocks


def cache_usage(body: dict[str, Any], cache: set[str]) -> dict[str, Any] | None:
    """The input side of `usage` for a request with cache breakpoints, as the API counts
    it; records in `cache` the prefixes it writes. None: the request has no breakpoint.

    `cache` holds a digest of each prefix written (the model and the blocks' content up to
    a breakpoint). The longest prefix found, looking back from each breakpoint, is read;
    each later breakpoint long enough for the model is written, 1-hour entries before
    5-minute ones. `input_tokens` is what comes after the last of them.
    """
    blocks = prompt_blocks(body)
    if not any(ttl for _, ttl in blocks):
        return None
    digest = hashlib.sha256(str(body.get("model")).encode())
    keys, tokens, length = [], [], 0
    for block, _ in blocks:
        text = json.dumps(block, sort_keys=True, separators=(",", ":"))
        digest.update(text.encode() + b"\0")
        keys.append(digest.hexdigest())
        length += len(text)
        tokens.append(math.ceil(length / 4))  # as estimate_tokens counts
    breaks = [i for i, (_, ttl) in enumerate(blocks) if ttl]
    hit = -1
    for b in breaks:
        found = next((i for i in range(b, max(b - _LOOKBACK, -1), -1) if keys[i] in cache), -1)
        hit = max(hit, found)
    minimum = min_cacheable(str(body.get("model")))
    writes = [b for b in breaks if b > hit and tokens[b] >= minimum]
    cache.update(keys[b] for b in writes)

    def upto(i: int) -> int:
        return tokens[i] if i >= 0 else 0

    last = max(writes, default=hit)
    one_hour = max((b for b in writes if blocks[b][1] == "1h"), default=hit)
    created_1h = upto(one_hour) - upto(hit)
    created_5m = upto(last) - upto(one_hour)
    return {
        "input_tokens": max(1, input_tokens(body) - upto(last)),
        "cache_creation_input_tokens": created_1h + created_5m,
        "cache_read_input_tokens": upto(hit),
        "cache_creation": {
            "ephemeral_5m_input_tokens": created_5m,
            "ephemeral_1h_input_tokens": created_1h,
        },
    }


# --- the stream --------------------------------------------------------------------------

PING: Event = {"type": "ping"}


def stream_events(
    message: dict[str, Any],
    pings: int = 1,
    pings_after_stop: int | None = None,
    extra_events: tuple[Event, ...] = (),
) -> list[Event]:
    """The events of a successful stream for `message`, in wire order, pings included."""
    start = {
        **public(message),
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "stop_details": None,
        "usage": {**message["usage"], "output_tokens": 1},
    }
    events: list[Event] = [{"type": "message_start", "message": start}, *extra_events]
    blocks = message["content"]
    if pings_after_stop is None:
        pings_after_stop = 1 if len(blocks) > 1 else 0
    for index, block in enumerate(blocks):
        events.append(
            {"type": "content_block_start", "index": index, "content_block": _empty(block)}
        )
        if index == 0:
            events += [PING] * pings
        events += [
            {"type": "content_block_delta", "index": index, "delta": delta}
            for delta in _deltas(block)
        ]
        events.append({"type": "content_block_stop", "index": index})
        if index == 0:
            events += [PING] * pings_after_stop
    usage = message["usage"]
    events.append(
        {
            "type": "message_delta",
            "delta": {
                "stop_reason": message["stop_reason"],
                "stop_sequence": message["stop_sequence"],
                "stop_details": message["stop_details"],
            },
            "usage": {
                "input_tokens": usage["input_tokens"],
                "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                "cache_read_input_tokens": usage["cache_read_input_tokens"],
                "output_tokens": usage["output_tokens"],
            },
        }
    )
    events.append({"type": "message_stop"})
    return events


def _empty(block: dict[str, Any]) -> dict[str, Any]:
    """A block as content_block_start announces it, before any delta."""
    if block["type"] == "text":
        empty = {"type": "text", "text": ""}
        return {**empty, "citations": []} if "citations" in block else empty
    if block["type"] == "thinking":
        return {"type": "thinking", "thinking": "", "signature": ""}
    if block["type"] in ("tool_use", "server_tool_use"):
        return {"type": block["type"], "id": block["id"], "name": block["name"], "input": {}}
    return {k: v for k, v in block.items() if not k.startswith("_")}  # sent whole


def _deltas(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block["type"] == "text":
        citations = [{"type": "citations_delta", "citation": c} for c in block.get("citations", [])]
        text = [{"type": "text_delta", "text": t} for t in split_words(block["text"])]
        return [*block.get("_extra_deltas", []), *citations, *text]
    if block["type"] == "thinking":
        # display "omitted": one thinking_delta with empty text, then the signature, as
        # Anthropic's streaming page describes it; its thinking page describes no
        # thinking_delta at all (the `signature_only` shape)
        pieces = [] if block.get("_signature_only") else split_words(block["thinking"]) or [""]
        return [
            *({"type": "thinking_delta", "thinking": t} for t in pieces),
            {"type": "signature_delta", "signature": block["signature"]},
        ]
    if block["type"] in ("tool_use", "server_tool_use"):
        # the first input_json_delta is empty on the wire
        pieces = [""] + split_chars(_input_json(block))
        return [{"type": "input_json_delta", "partial_json": p} for p in pieces]
    return []


_WORDS = re.compile(r"\s*\S+\s*|\s+")


def split_words(text: str) -> list[str]:
    """Fragments of a few words each, deterministic; their concatenation is `text`."""
    words = _WORDS.findall(text)
    sizes = itertools.cycle((1, 4, 3, 5, 2, 6))
    pieces, i = [], 0
    while i < len(words):
        n = next(sizes)
        pieces.append("".join(words[i : i + n]))
        i += n
    return pieces


def split_chars(text: str) -> list[str]:
    sizes = itertools.cycle((9, 14, 6, 11))
    pieces, i = [], 0
    while i < len(text):
        n = next(sizes)
        pieces.append(text[i : i + n])
        i += n
    return pieces


def interrupt_index(
    events: list[Event], after_chars: int, at: str | None = None, after_events: int | None = None
) -> int:
    """Index of the first event after `after_chars` characters of text were streamed, or
    of the first event of type `at`, or `after_events` itself.

    Falls back to the message_delta when the text is shorter.
    """
    if after_events is not None:
        return min(after_events, len(events))
    if at is not None:
        return next((i for i, e in enumerate(events) if e["type"] == at), len(events))
    seen = 0
    for i, event in enumerate(events):
        if event["type"] == "message_delta":
            return i
        if event["type"] == "content_block_delta" and event["delta"]["type"] == "text_delta":
            seen += len(event["delta"]["text"])
            if seen >= after_chars:
                return i + 1
    return len(events)


def encode_event(event: Event, seq: int) -> bytes:
    """One SSE event: `event:` line, one `data:` line, blank line; LF only.

    Compact JSON like the API, with its run of spaces before the final `}` on most events
    (length varies with `seq`); ping keeps the API's own `{"type": "ping"}` spelling.
    """
    if event == PING:
        data = '{"type": "ping"}'
    else:
        data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        if event["type"] != "message_start":
            data = data[:-1] + " " * (3 + seq % 4) + "}"
    return f"event: {event['type']}\ndata: {data}\n\n".encode()


def error_event(error_type: str, message: str) -> Event:
    return {"type": "error", "error": {"details": None, "type": error_type, "message": message}}


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }


# --- headers -----------------------------------------------------------------------------

_RESET = "2026-01-01T00:00:00Z"  # fixed, so re-recorded cassettes do not change
_ORGANIZATION_ID = str(uuid.UUID(bytes=hashlib.sha256(b"emulator").digest()[:16], version=4))


def response_headers(ids: Ids, *, authenticated: bool) -> dict[str, str]:
    """Headers every response carries; `authenticated` adds the per-organization ones."""
    headers = {
        "request-id": ids.request_id(),
        "server": "cloudflare",
        "cf-ray": ids.digest("cf-ray").hex()[:16] + "-CDG",
        "cf-cache-status": "DYNAMIC",
        "x-robots-tag": "none",
        "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    }
    if authenticated:
        for kind, limit in (
            ("requests", 4000),
            ("tokens", 2_000_000),
            ("input-tokens", 1_600_000),
            ("output-tokens", 400_000),
        ):
            prefix = f"anthropic-ratelimit-{kind}"
            headers[f"{prefix}-limit"] = str(limit)
            headers[f"{prefix}-remaining"] = str(limit - 1)
            headers[f"{prefix}-reset"] = _RESET
        # fake values the recorder has to scrub, like the real organization id and cookie
        headers["anthropic-organization-id"] = _ORGANIZATION_ID
        headers["set-cookie"] = (
            f"_cfuvid={ids.base58('cookie', 32)}-1767225600000-0.0.1.1-604800000; "
            "path=/; HttpOnly; Secure; SameSite=None"
        )
    return headers
