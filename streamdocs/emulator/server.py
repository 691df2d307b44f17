"""The aiohttp app serving the scenarios, and `Emulator`, which runs it in a thread.

This module owns delivery: status and headers, timing (`delay`), chunking (`chunk_size`),
gzip, and the stream interruptions (error event, dropped connection, stall). What is sent
comes from `wire`; which scenario answers comes from `scenarios`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import ssl
import time
import zlib
from pathlib import Path
from typing import Any

from aiohttp import web

from streamdocs.loopback import LoopbackServer

from . import models, wire
from .scenarios import (
    ErrorSpec,
    Reply,
    Scenario,
    choose,
    continuation,
    has_valid_key,
    load_scenarios,
    prefill_problem,
    thinking_problem,
    with_tool_results,
)
from .variants import CASE_HEADER, Arrived, CaseLog, Fault

_REQUIRED = ("model", "max_tokens", "messages")


class Emulator:
    """A local Messages API on 127.0.0.1, served from a background thread.

    `delay` is slept between stream events; `chunk_size`, if set, writes every event in
    pieces of that many bytes, each flushed on its own.
    """

    def __init__(
        self,
        delay: float = 0.0,
        chunk_size: int | None = None,
        port: int = 0,
        scenario_dir: Path | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.delay = delay
        self.chunk_size = chunk_size
        app = web.Application()
        app.router.add_post("/v1/messages", self._messages)
        app.router.add_post("/scenario/{name}/v1/messages", self._messages)
        app.router.add_post("/case/{case}/v1/messages", self._messages)
        # the workload-identity token exchange: refused (a generated fault's unusable source)
        app.router.add_post("/v1/oauth/token", self._token)
        app.router.add_post("/case/{case}/v1/oauth/token", self._token)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        # with `tls`, also HTTPS on `tls_port` (for curl, which talks to https); handlers
        # watch `stopping`, so a short shutdown timeout is enough
        self.server = LoopbackServer(app, port, tls, shutdown_timeout=1.0)
        dirs = (scenario_dir,) if scenario_dir is not None else ()
        self.scenarios: dict[str, Scenario] = load_scenarios(*dirs)
        self._run: _Run | None = None
        # prompt-cache entries (wire.cache_usage): prefix digests; begin_run empties it
        self.cache: set[str] = set()
        self.requests: list[dict[str, Any]] = []
        # when a client closed a stream before its end (time.monotonic())
        self.closed_early: list[float] = []
        # when each text delta was written (time.monotonic(), system-wide on Linux): the
        # bench compares it with when a sample printed that text
        self.text_sent: list[float] = []
        # generated faults (variants.py): each case's plan and what its requests got
        self.cases: dict[str, CaseLog] = {}

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> Emulator:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def tls_port(self) -> int | None:
        return self.server.tls_port

    @property
    def addresses(self) -> list[tuple[str, int]]:
        return self.server.addresses

    def begin_run(self, shape: str | None) -> None:
        """From now on, the first request (and its retries) gets scenario `shape`; later
        requests get the natural answer, unless the shape answers every request."""
        if shape is not None and shape not in self.scenarios:
            raise KeyError(f"no scenario named {shape!r}")
        self._run = _Run(shape) if shape is not None else None
        self.cache = set()  # each run starts cold, so recordings do not depend on order

    @contextlib.contextmanager
    def answering(self, shape: str | None):
        """`begin_run(shape)` for the length of the block, then natural answers again."""
        self.begin_run(shape)
        try:
            yield self
        finally:
            self.begin_run(None)

    def base_url(self, scenario: str | None = None) -> str:
        """The SDK's base_url; naming a scenario forces it (the SDK appends /v1/messages)."""
        return self.url if scenario is None else f"{self.url}/scenario/{scenario}"

    def add_case(self, case: str, fault: Fault) -> str:
        """Serve `fault` to the first request of `case` (and its retries); the base URL
        that routes a client to it. Clients that cannot change the URL (curl) send the
        case's name in the `x-streamdocs-case` header instead. Adding a case again starts
        it afresh (a new plan, an empty log) on the same URL."""
        if fault.shape is not None and fault.shape not in self.scenarios:
            raise KeyError(f"no scenario named {fault.shape!r}")
        self.cases[case] = CaseLog(fault)
        return f"{self.url}/case/{case}"

    def case_log(self, case: str) -> CaseLog:
        return self.cases.pop(case)

    # --- handlers ----------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.StreamResponse:
        """OAuth token exchange (RFC 6749 errors): no identity token is ever good here."""
        await self._record(request)
        error = {"error": "invalid_grant", "error_description": "The identity token was rejected."}
        return web.json_response(error, status=400)

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        await self._record(request)
        ids = wire.Ids("not_found", request.path, 0)
        error = ErrorSpec(404, "not_found_error", "Not Found")
        return _error_response(error, ids, authenticated=False)

    async def _messages(self, request: web.Request) -> web.StreamResponse:
        log = self._case(request)
        entry = log.begin() if log is not None else None
        response = await self._answer(request, entry)
        if entry is not None:
            entry.status = response.status
            if response.status >= 400 and isinstance(response, web.Response) and response.body:
                entry.http_error = json.loads(response.body)["error"]["type"]
        return response

    def _case(self, request: web.Request) -> CaseLog | None:
        name = request.match_info.get("case") or request.headers.get(CASE_HEADER, "")
        return self.cases.get(name)

    async def _answer(self, request: web.Request, entry: Arrived | None) -> web.StreamResponse:
        """The answer to a Messages request; `entry`, for a generated case's request, is
        kept up to date with what has been sent of it."""
        body, headers = await self._record(request)
        attempt = _attempt(headers)
        forced = request.match_info.get("name")
        log = self._case(request)
        broken = False  # this request is the one the case's fault breaks (or a retry of it)
        if log is not None:
            log.fresh += attempt == 0
            broken = log.fault.request is None or log.fresh == log.fault.request + 1
        if entry is not None:
            entry.request = body
        valid_key = has_valid_key(headers)

        if forced is not None and forced not in self.scenarios:
            ids = wire.Ids("not_found", request.path, attempt)
            error = ErrorSpec(404, "not_found_error", f"scenario: {forced}")
            return _error_response(error, ids, authenticated=valid_key)
        if problem := _invalid(body):
            ids = wire.Ids("invalid_request", body, attempt)
            error = ErrorSpec(400, "invalid_request_error", problem)
            return _error_response(error, ids, authenticated=valid_key)

        shape = forced or self._from_run(attempt)
        fault = log.fault if log is not None else None
        if fault is not None and fault.shape is not None:
            if broken or self.scenarios[fault.shape].every_request:
                shape = fault.shape
        name, reply, message = self._compose(body, headers, shape, attempt, self.cache)
        pause = reply.interrupt.stall_seconds if reply.interrupt is not None else 0
        if fault is not None and fault.stall_at is None and fault.stall_seconds and pause:
            # a shape's stall, lengthened by the case (the answer matrix's runs)
            interrupt = dataclasses.replace(reply.interrupt, stall_seconds=fault.stall_seconds)
            reply = dataclasses.replace(reply, interrupt=interrupt)
        ids = wire.Ids(name, body, attempt)
        if message is None:
            error = reply.error
            message = error.message.replace("{model}", str(body.get("model")))
            error = ErrorSpec(error.status, error.type, message, error.retry_after)
            return _error_response(error, ids, authenticated=valid_key and error.status != 401)

        gzip = reply.gzip and "gzip" in headers.get("accept-encoding", "")
        # a shape the case names, unbroken, is served as the scenario says
        as_planned = fault is not None and (fault.breaks or fault.shape is None)
        if entry is not None and broken and as_planned and body.get("stream"):
            return await self._fault(request, fault, entry, ids, _stream_bytes(reply, message))
        if body.get("stream") is True:
            return await self._stream(request, reply, message, ids, gzip, entry)
        if entry is not None:  # a whole message: as good as its message_stop
            entry.whole(message, complete=reply.interrupt is None)
        return await self._single(request, reply, message, ids, gzip)

    def _compose(
        self,
        body: dict[str, Any],
        headers: dict[str, str],
        shape: str | None,
        attempt: int,
        cache: set[str],
    ) -> tuple[str, Reply, dict[str, Any] | None]:
        """The scenario that answers (`shape`, or the one `choose` picks), its reply to this
        attempt, and the message it makes (None for an HTTP error). The prompt cache
        `cache` is read and filled, as the API's is."""
        # asked for the rest of an interrupted answer: the same answer, from where it broke
        resumed = continuation(body)
        original = resumed[0] if resumed else body
        name = shape or choose(self.scenarios, original, headers)
        reply = with_tool_results(self.scenarios[name].reply(attempt), original)
        if shape is None:  # a model that thinks on its own thinks before its natural answer
            reply = wire.thought_first(reply, body)
        if resumed:
            reply = _rest_of(reply, resumed[1])
        if reply.error is not None:
            return name, reply, None
        message = wire.build_message(reply, body, wire.Ids(name, body, attempt))
        cached = wire.cache_usage(body, cache) if reply.usage is None else None
        if cached is not None:  # a scenario's own usage wins over the cache
            message["usage"].update(cached)
        return name, reply, message

    def answer_body(self, request: dict[str, Any], shape: str | None = None) -> bytes | None:
        """The SSE bytes the emulator streams to `request` as its first request: its
        natural answer, or `shape`'s, whole (with an empty prompt cache, so the command
        serves the same bytes again). None when the answer is no whole stream: an invalid
        request, an HTTP error, a scenario that breaks itself."""
        if _invalid(request):
            return None
        headers = {"x-api-key": "sk-ant-answer-body"}  # a key: the request was let in
        _, reply, message = self._compose(request, headers, shape, 0, set())
        if message is None or reply.interrupt is not None:
            return None
        return _stream_bytes(reply, message)

    def _from_run(self, attempt: int) -> str | None:
        """The shape a run forces on this request, if any (see `begin_run`)."""
        run = self._run
        if run is None:
            return None
        if attempt == 0:
            run.requests += 1
        shape = self.scenarios[run.shape]
        return run.shape if run.requests <= 1 or shape.every_request else None

    async def _record(self, request: web.Request) -> tuple[Any, dict[str, str]]:
        headers = {k.lower(): v for k, v in request.headers.items()}
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.requests.append({"path": request.path, "headers": headers, "json": body})
        return body, headers

    async def _single(
        self, request: web.Request, reply: Reply, message: dict, ids: wire.Ids, gzip: bool
    ) -> web.StreamResponse:
        """A non-streaming answer; an interruption becomes its non-streaming equivalent."""
        interrupt = reply.interrupt
        if interrupt is not None and interrupt.error is not None:
            return _error_response(interrupt.error, ids, authenticated=True)
        if interrupt is not None and (interrupt.cut or interrupt.end):
            _drop(request)
            return web.Response()  # never sent: the connection is gone
        if interrupt is not None:
            await self.server.pause(interrupt.stall_seconds)
        data = json.dumps(wire.public(message), separators=(",", ":"), ensure_ascii=False)
        data = data.encode()
        headers = wire.response_headers(ids, authenticated=True)
        headers["content-type"] = "application/json"
        if gzip:
            data = zlib.compress(data, wbits=31)
            headers["content-encoding"] = "gzip"
        return web.Response(body=data, headers=headers)

    async def _fault(
        self, request: web.Request, plan: Fault, entry: Arrived, ids: wire.Ids, natural: bytes
    ) -> web.StreamResponse:
        """The first request of a generated case: its body, broken as its plan says."""
        fault = plan.with_body(plan.body or natural)
        if fault.stall_at == "headers":
            await self.server.pause(fault.stall_seconds)
        headers = wire.response_headers(ids, authenticated=True)
        headers["content-type"] = "text/event-stream; charset=utf-8"
        headers["cache-control"] = "no-cache"
        response = web.StreamResponse(headers=headers)
        response.enable_chunked_encoding()
        body = fault.body or b""
        end = len(body) if fault.cut_at is None else fault.cut_at
        pause = fault.stall_at if isinstance(fault.stall_at, int) else None
        # the bytes before the silence, then the rest up to the end or the cut
        pieces = [(0, end)] if pause is None else [(0, min(pause, end)), (min(pause, end), end)]
        try:
            await response.prepare(request)  # the client may have left during a stall
            for number, (start, stop) in enumerate(pieces):
                if number == 1:
                    await self.server.pause(fault.stall_seconds)
                if stop > start:
                    await response.write(body[start:stop])
                    entry.sent(body[:stop])
            if fault.cut_at is not None and fault.abrupt:
                _drop(request)
                return response
            await response.write_eof()
        except ConnectionError:
            self.closed_early.append(time.monotonic())
        return response

    async def _stream(
        self,
        request: web.Request,
        reply: Reply,
        message: dict,
        ids: wire.Ids,
        gzip: bool,
        entry: Arrived | None = None,
    ) -> web.StreamResponse:
        headers = wire.response_headers(ids, authenticated=True)
        headers["content-type"] = "text/event-stream; charset=utf-8"
        headers["cache-control"] = "no-cache"
        if gzip:
            headers["content-encoding"] = "gzip"
        response = web.StreamResponse(headers=headers)
        response.enable_chunked_encoding()
        await response.prepare(request)

        events = wire.stream_events(
            message, reply.pings, reply.pings_after_stop, reply.extra_events
        )
        interrupt = reply.interrupt
        stop_at = None
        if interrupt is not None:
            stop_at = wire.interrupt_index(
                events, interrupt.after_chars, interrupt.at, interrupt.after_events
            )
        # gzip members flushed per event, so compressed streams still arrive incrementally
        compressor = zlib.compressobj(wbits=31) if gzip else None
        sent: list[bytes] = []  # for a generated case's log: the events written
        try:
            for seq, event in enumerate(events):
                if seq == stop_at and interrupt is not None:
                    if interrupt.bytes_into:  # the start of the event, never its end
                        part = wire.encode_event(event, seq)[: interrupt.bytes_into]
                        await self._send(response, part, compressor)
                    if interrupt.cut:
                        _drop(request)
                        return response
                    if interrupt.end:
                        break
                    if interrupt.error is not None:
                        error = wire.error_event(interrupt.error.type, interrupt.error.message)
                        await self._send(response, wire.encode_event(error, seq), compressor)
                        break
                    await self._stall(response, interrupt, seq, compressor, reply.chunk_size)
                if self.server.stopping is not None and self.server.stopping.is_set():
                    _drop(request)
                    return response
                if seq:
                    await self.server.pause(self.delay)
                await self._send(
                    response, wire.encode_event(event, seq), compressor, reply.chunk_size
                )
                if entry is not None:
                    sent.append(wire.encode_event(event, seq))
                    entry.sent(b"".join(sent))
                if event.get("delta", {}).get("type") == "text_delta":
                    self.text_sent.append(time.monotonic())
            if compressor is not None:
                await response.write(compressor.flush())
            await response.write_eof()
        except ConnectionError:
            # the client went away mid-stream (stopped reading, timed out, cancelled)
            self.closed_early.append(time.monotonic())
        return response

    async def _stall(
        self,
        response: web.StreamResponse,
        interrupt: Any,
        seq: int,
        compressor: Any | None,
        chunk_size: int | None,
    ) -> None:
        """Go silent for the stall, or send only keep-alive pings meanwhile."""
        if not interrupt.pings_every:
            await self.server.pause(interrupt.stall_seconds)
            return
        waited = 0.0
        while waited < interrupt.stall_seconds:
            step = min(interrupt.pings_every, interrupt.stall_seconds - waited)
            await self.server.pause(step)
            waited += step
            ping = wire.encode_event(wire.PING, seq)
            await self._send(response, ping, compressor, chunk_size)

    async def _send(
        self,
        response: web.StreamResponse,
        data: bytes,
        compressor: Any | None,
        chunk_size: int | None = None,
    ) -> None:
        if compressor is not None:
            data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        size = chunk_size or self.chunk_size or len(data)
        for start in range(0, len(data), size):
            await response.write(data[start : start + size])


def _stream_bytes(reply: Reply, message: dict[str, Any]) -> bytes:
    """The whole SSE body of a message, as `_stream` writes it (uncompressed)."""
    events = wire.stream_events(message, reply.pings, reply.pings_after_stop, reply.extra_events)
    return b"".join(wire.encode_event(event, seq) for seq, event in enumerate(events))


def _rest_of(reply: Reply, received: str) -> Reply:
    """The reply without the text already received: it continues exactly where it broke."""
    content, left = [], received
    for block in reply.content:
        if block["type"] == "text" and left:
            text = block["text"]
            if not text.startswith(left[: len(text)]):
                return reply  # not this answer's beginning: answer afresh
            taken = min(len(text), len(left))
            left = left[taken:]
            if taken == len(text):
                continue
            block = {**block, "text": text[taken:]}
        elif left:
            continue  # blocks before the received text were already sent
        content.append(block)
    return dataclasses.replace(reply, content=tuple(content))


class _Run:
    """One sample run against a forced shape: how many fresh requests it has made."""

    def __init__(self, shape: str) -> None:
        self.shape = shape
        self.requests = 0


def _drop(request: web.Request) -> None:
    """Abort the connection: no terminating chunk, nothing more (unless already gone)."""
    if request.transport is not None:
        request.transport.abort()


def _attempt(headers: dict[str, str]) -> int:
    """The SDK numbers its retries in x-stainless-retry-count; plain clients are attempt 0."""
    try:
        return int(headers.get("x-stainless-retry-count", "0"))
    except ValueError:
        return 0


def _invalid(body: Any) -> str | None:
    """Why a body is not a Messages request at all (checked before any scenario)."""
    if not isinstance(body, dict):
        return "The request body is not valid JSON."
    missing = [key for key in _REQUIRED if key not in body]
    if missing:
        return f"{missing[0]}: Field required"
    if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
        return "max_tokens: Input should be an integer greater than or equal to 1"
    return (
        models.problem(body)
        or prefill_problem(body)
        or thinking_problem(body, wire.thinking_signature)
    )


def _error_response(error: ErrorSpec, ids: wire.Ids, *, authenticated: bool) -> web.Response:
    headers = wire.response_headers(ids, authenticated=authenticated)
    headers["x-should-retry"] = "true" if error.status == 429 or error.status >= 500 else "false"
    if error.retry_after is not None:
        headers["retry-after"] = str(error.retry_after)
    body = wire.error_body(error.type, error.message, headers["request-id"])
    return web.json_response(body, status=error.status, headers=headers, dumps=_compact)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
