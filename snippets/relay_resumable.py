# --8<-- [start:settings]
"""Relay Claude's answer to a browser so that it survives a dropped
connection and runs on several workers.

Each answer's events go into a Redis Stream; a page that lost its
connection asks again with the last event id it has, and whichever
worker it reaches sends the rest. Two workers behind nginx
(relay_resumable_nginx.conf):

  export RELAY_TOKENS="alice:<token>" REDIS_URL="redis://127.0.0.1:6379"
  uvicorn relay_resumable:app --port 8001 --timeout-graceful-shutdown 5
  uvicorn relay_resumable:app --port 8002 --timeout-graceful-shutdown 5
"""

import asyncio
import hmac
import json
import logging
import os
import secrets
import socket
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import anthropic
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, StringConstraints
from redis import RedisError
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

MODEL = "claude-sonnet-5-5"
MAX_TOKENS = 1024
SYSTEM = "You are a helpful assistant. Answer in plain text."
MAX_CHARS = 4000
MAX_AT_ONCE = 2  # answers one caller may have running
MAX_PER_HOUR = 30  # answers one caller may start in an hour
KEEP = 600  # seconds an answer stays in Redis after its last event
BEAT = 0.5  # seconds between the owner's checks and heartbeats
OWNER_TTL = 5  # no heartbeat for this long: the owning worker is gone
SEEN = 3  # seconds a reader's mark lasts (it renews it every BEAT)
PATIENCE = 30  # seconds a reader waits for Redis to answer again
# Nobody reading for this long: cancel the request to the API.
GRACE = float(os.environ.get("RELAY_GRACE_SECONDS", "30"))
WORKER = os.environ.get(
    "RELAY_WORKER", f"{socket.gethostname()}-{os.getpid()}"
)
END = ("done", "error", "stopped")  # nothing follows these events
UNREACHABLE = "Cannot reach Redis; try again soon."
LOST = {
    "type": "worker_lost",
    "message": "The server answering this stopped before the answer ended.",
}
DOWN = {
    "type": "unavailable",
    "message": "Redis, which holds the answer, is unreachable.",
}
HERE = Path(__file__).parent

# One token per user, issued by you: RELAY_TOKENS="alice:<token>,..."
USERS = {}
for entry in os.environ["RELAY_TOKENS"].split(","):
    user, _, token = entry.partition(":")
    if not user or not token:  # an empty token would let anyone in
        raise SystemExit(f"RELAY_TOKENS: {entry!r} is not user:token")
    USERS[token] = user

log = logging.getLogger("relay")
# A stall ends in an error event after 60 s, before nginx's 300 s.
client = anthropic.AsyncAnthropic(timeout=anthropic.Timeout(60, connect=5))
store = Redis.from_url(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
    decode_responses=True,
    socket_connect_timeout=2,
    socket_timeout=5,  # above the 1 s a reader blocks for
    max_connections=1000,  # a waiting reader holds one
    retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 3),
)
running = set()  # requests to the API this worker is making
# --8<-- [end:settings]


# --8<-- [start:answer]
class Answer:
    """One answer: its events in Redis, and on one worker its request."""

    def __init__(self, user: str, answer_id: str) -> None:
        self.id = answer_id
        self.user = user
        self.key = f"answer:{user}:{answer_id}"  # the Redis Stream
        self.pending = []  # (entry id, event) Redis has not taken yet
        self.lock = asyncio.Lock()
        self.started = int(time.time() * 1000)
        self.added = 0  # events added
        self.ended = False  # an END event was added
        self.stopped = None  # why the request was cancelled

    async def add(self, event: str, data: dict) -> None:
        """Append an event; while Redis is unreachable, hold it here."""
        if self.ended:
            return
        self.ended = event in END
        self.added += 1
        # The id is ours, not Redis's: an event sent again after a lost
        # reply is refused as already there, so it never comes twice.
        entry_id = f"{self.started}-{self.added}"
        self.pending.append(
            (entry_id, {"event": event, "data": json.dumps(data)})
        )
        await self.flush()

    async def flush(self) -> bool:
        """Store the pending events, in order. True if none is left."""
        async with self.lock:
            batch = list(self.pending)
            try:
                async with store.pipeline() as pipe:
                    for entry_id, fields in batch:
                        pipe.xadd(self.key, fields, id=entry_id)
                    pipe.expire(self.key, KEEP)
                    done = await pipe.execute(raise_on_error=False)
                for result in done:
                    stored = "equal or smaller" in str(result)
                    if isinstance(result, Exception) and not stored:
                        raise result
            except RedisError as err:
                log.error(
                    "%s: %d events wait for Redis: %s",
                    self.id,
                    len(self.pending),
                    err,
                )
                return False
            del self.pending[: len(batch)]
            return not self.pending

    async def fetch(self, message: str) -> None:
        """Ask the API, once, on this worker; whoever reads, reads Redis."""
        watcher = asyncio.create_task(self.watch(asyncio.current_task()))
        stream = None  # set once the request has been let through
        try:
            async with client.messages.stream(
                model=MODEL,
                max_tokens=MAX_TOKENS,
                system=SYSTEM,
                messages=[{"role": "user", "content": message}],
            ) as stream:
                async for event in stream:
                    # Only text goes to the page (thinking blocks do not).
                    if event.type == "text":
                        await self.add("text", {"text": event.text})
                    elif event.type == "message_stop":
                        final = event.message
                        reason = final.stop_reason
                        await self.add("done", {"stop_reason": reason})
                        await self.count(final.usage)
                        return
            ended = "The answer ended early."
            await self.add(
                "error", {"type": "incomplete", "message": ended}
            )
        except asyncio.CancelledError:
            if self.stopped is None:
                raise  # not ours: let it cancel
            # Leaving the block closed the request: the final usage is lost.
            log.info(
                "%s: cancelled (%s), usage unknown", self.id, self.stopped
            )
        except anthropic.APIStatusError as err:  # HTTP error or error event
            what = err.type or f"HTTP {err.status_code}"
            text = err.api_message or err.message
            await self.add("error", {"type": what, "message": text})
        except (anthropic.APIError, UnicodeDecodeError) as err:
            # no answer, a drop or a stall (or a body closed mid-character)
            what = type(err).__name__
            text = f"The connection to the API was interrupted ({what})."
            await self.add("error", {"type": what, "message": text})
        except (anthropic.AnthropicError, TypeError) as err:
            if stream is not None:  # not at the request: a bug, not ours
                raise
            # The relay's own credentials: none (the SDK's TypeError),
            # or an identity token it cannot use.
            log.error("%s: no usable API credentials: %s", self.id, err)
            text = "The relay has no usable API credentials."
            await self.add(
                "error", {"type": "credentials", "message": text}
            )
        finally:
            watcher.cancel()
            await self.finish()

    async def watch(self, fetching: asyncio.Task) -> None:
        """While fetching: say this worker lives, and act on Stop (sent to
        any worker) or on nobody reading for GRACE seconds."""
        last_read = time.monotonic()
        while True:
            await asyncio.sleep(BEAT)
            try:
                async with store.pipeline() as pipe:
                    pipe.set(f"{self.key}:owner", WORKER, ex=OWNER_TTL)
                    deadline = time.time() + OWNER_TTL
                    pipe.zadd(f"running:{self.user}", {self.id: deadline})
                    pipe.exists(f"{self.key}:reader")
                    pipe.getdel(f"{self.key}:stop")
                    *_, reading, stop = await pipe.execute()
            except RedisError:
                continue  # no one can say stop: keep going
            if reading:
                last_read = time.monotonic()
            why = "Stop"
            if not stop and time.monotonic() - last_read > GRACE:
                if not self.ended:  # (a drained answer reads on)
                    stop, why = "cancel", f"no reader for {GRACE:g} s"
            if stop:
                await self.add("stopped", {"then": stop})
            if stop == "cancel":
                self.stopped = why
                fetching.cancel()
                return
            # "drain": readers got "stopped"; the request reads on, unshown,
            # so its final usage still arrives.

    async def count(self, usage) -> None:
        """What each user spent, for your bill (kept only when it ends)."""
        log.info(
            "%s: %s used %d tokens in, %d out",
            self.id,
            self.user,
            usage.input_tokens,
            usage.output_tokens,
        )
        try:
            key = f"usage:{self.user}"
            await store.hincrby(key, "input_tokens", usage.input_tokens)
            await store.hincrby(key, "output_tokens", usage.output_tokens)
        except RedisError as err:
            log.error("%s: usage not counted: %s", self.id, err)

    async def finish(self) -> None:
        """Store what Redis has not taken yet (trying for KEEP seconds)."""
        # By the clock: a try that gets no answer takes seconds itself.
        give_up = time.monotonic() + KEEP
        while not await self.flush():
            if time.monotonic() > give_up:
                log.error(
                    "%s: lost %d events: Redis unreachable",
                    self.id,
                    len(self.pending),
                )
                break
            await asyncio.sleep(1)
        try:
            await store.zrem(f"running:{self.user}", self.id)
        except RedisError:
            pass  # it expires by itself

    async def events(self, after: str, request: Request):
        """Every event after id `after` as SSE: what is stored, then the
        live tail, from whichever worker fetches the answer."""
        down_since, marked = None, 0.0  # when Redis stopped answering
        while not await request.is_disconnected():
            try:
                if time.monotonic() - marked > BEAT:
                    # Someone reads: the owner does not cancel.
                    await store.set(f"{self.key}:reader", WORKER, ex=SEEN)
                    marked = time.monotonic()
                found = await store.xread(
                    {self.key: after}, count=100, block=1000
                )
                if not found:
                    if await store.exists(f"{self.key}:owner"):
                        continue  # the owner is alive; nothing new yet
                    found = await store.xread({self.key: after})
                down_since = None
            except RedisError as err:
                down_since = down_since or time.monotonic()
                if time.monotonic() - down_since < PATIENCE:
                    await asyncio.sleep(1)
                    continue
                log.error("%s: reader gives up: %s", self.id, err)
                found = []
            if not found:
                # No event will come: the worker fetching it is gone, or
                # Redis has been unreachable for PATIENCE seconds.
                yield sse(None, "error", DOWN if down_since else LOST)
                return
            for entry_id, fields in found[0][1]:
                after = entry_id
                yield sse(entry_id, fields["event"], fields["data"])
                if fields["event"] in END:
                    return


def sse(entry_id: str | None, event: str, data) -> str:
    # The id is what the page sends back to resume (Last-Event-ID).
    data = data if isinstance(data, str) else json.dumps(data)
    head = f"id: {entry_id}\n" if entry_id else ""
    return f"{head}event: {event}\ndata: {data}\n\n"


# --8<-- [end:answer]


# --8<-- [start:callers]
bearer = HTTPBearer(auto_error=False)


def caller(
    credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(bearer)
    ],
) -> str:
    """The user whose token came in `Authorization: Bearer ...`."""
    sent = credentials.credentials.encode() if credentials else b""
    for token, user in USERS.items():
        if hmac.compare_digest(sent, token.encode()):
            return user
    raise HTTPException(
        401, "Unknown or missing token.", {"WWW-Authenticate": "Bearer"}
    )


async def admit(answer: Answer) -> None:
    """Count the answer against the user's limits, kept in Redis for all
    workers; refuse it (429), or say Redis is unreachable (503)."""
    user, now = answer.user, time.time()
    this_hour = f"started:{user}:{int(now // 3600)}"
    try:
        async with store.pipeline() as pipe:
            pipe.zremrangebyscore(f"running:{user}", "-inf", now)
            pipe.zadd(f"running:{user}", {answer.id: now + OWNER_TTL})
            pipe.zcard(f"running:{user}")
            pipe.incr(this_hour)
            pipe.expire(this_hour, 3600)
            pipe.set(f"{answer.key}:owner", WORKER, ex=OWNER_TTL)
            _, _, at_once, started, *_ = await pipe.execute()
            if at_once <= MAX_AT_ONCE and started <= MAX_PER_HOUR:
                return
            async with store.pipeline() as pipe:  # refused: not counted
                pipe.zrem(f"running:{user}", answer.id)
                pipe.decr(this_hour)
                pipe.delete(f"{answer.key}:owner")
                await pipe.execute()
    except RedisError as err:
        # Without Redis no limit holds: refuse new answers (fail closed).
        log.error("Redis unreachable, refusing new answers: %s", err)
        raise HTTPException(503, UNREACHABLE) from err
    raise HTTPException(
        429,
        f"Limit reached: {MAX_AT_ONCE} answers at once, "
        f"{MAX_PER_HOUR} an hour.",
        {"Retry-After": "60"},
    )


# --8<-- [end:callers]


# --8<-- [start:endpoints]
@asynccontextmanager
async def lifespan(app: FastAPI):
    yield
    # Shutting down (a restart): finish the answers fetched here into
    # Redis; their readers reconnect to another worker meanwhile.
    await asyncio.gather(*running, return_exceptions=True)
    await store.aclose()


app = FastAPI(lifespan=lifespan)
AnswerId = Annotated[str, StringConstraints(pattern=r"^[\w-]{16}$")]
EventId = Annotated[str, StringConstraints(pattern=r"^\d{1,20}-\d{1,20}$")]
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # nginx: pass each event on at once
    "X-Relay-Worker": WORKER,  # which worker answered
}


class Ask(BaseModel):
    # Any other field (a model, a max_tokens...) is refused with a 422.
    model_config = ConfigDict(extra="forbid")
    message: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=MAX_CHARS
        ),
    ]


class Stop(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # False: cancel the request now (saves tokens, loses the final
    # usage). True: stop showing it, but read it to the end (keeps it).
    drain: bool = False


def reading(answer: Answer, after: str, request: Request):
    return StreamingResponse(
        answer.events(after, request),
        media_type="text/event-stream",
        headers={**HEADERS, "X-Answer-Id": answer.id},
    )


@app.post("/chat")
async def chat(
    ask: Ask, request: Request, user: Annotated[str, Depends(caller)]
) -> StreamingResponse:
    answer = Answer(user, secrets.token_urlsafe(12))
    await admit(answer)
    task = asyncio.create_task(answer.fetch(ask.message))
    running.add(task)
    task.add_done_callback(running.discard)
    return reading(answer, "0", request)


async def existing(user: str, answer_id: str) -> Answer:
    answer = Answer(user, answer_id)
    try:
        if await store.exists(answer.key, f"{answer.key}:owner"):
            return answer
    except RedisError as err:
        raise HTTPException(503, UNREACHABLE) from err
    raise HTTPException(404, "No such answer (answers expire).")


@app.get("/chat/{answer_id}")
async def resume(
    answer_id: AnswerId,
    request: Request,
    user: Annotated[str, Depends(caller)],
    last_event_id: Annotated[EventId, Header()] = "0",
) -> StreamingResponse:
    """The rest of an answer, after the Last-Event-ID the page has."""
    answer = await existing(user, answer_id)
    return reading(answer, last_event_id, request)


@app.post("/chat/{answer_id}/stop", status_code=202)
async def stop(
    answer_id: AnswerId,
    user: Annotated[str, Depends(caller)],
    how: Stop | None = None,
) -> JSONResponse:
    """Stop an answer, whichever worker fetches it: its owner checks."""
    answer = await existing(user, answer_id)
    then = "drain" if how and how.drain else "cancel"
    try:
        await store.set(f"{answer.key}:stop", then, ex=KEEP)
    except RedisError as err:
        raise HTTPException(503, UNREACHABLE) from err
    return JSONResponse({"stopping": answer_id, "then": then}, 202, HEADERS)


@app.get("/health")
async def health() -> JSONResponse:
    """For the proxy and for you: can this worker take new answers?"""
    try:
        await store.ping()
    except RedisError as err:
        return JSONResponse(
            {
                "worker": WORKER,
                "redis": f"unreachable: {err}",
                "new_answers": "refused (503) until Redis is back",
            },
            503,
        )
    return JSONResponse(
        {"worker": WORKER, "redis": "ok", "fetching_here": len(running)}
    )


@app.get("/")
async def page() -> FileResponse:
    return FileResponse(HERE / "relay_resumable.html")


@app.get("/relay_resumable.js")
async def script() -> FileResponse:
    return FileResponse(HERE / "relay_resumable.js")


# --8<-- [end:endpoints]
