"""Relay Claude's answer to a browser as Server-Sent Events.

Run: RELAY_TOKENS="alice:<token>" uvicorn relay_app:app
then open http://127.0.0.1:8000
"""

import hmac
import json
import logging
import os
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Annotated

import anthropic
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, StringConstraints

# Fixed here, not sent by the browser: a caller cannot pick a dearer
# model or a longer answer. (The SDK reads your API key from
# ANTHROPIC_API_KEY; it never leaves the server.)
MODEL = "claude-sonnet-5-5"
MAX_TOKENS = 1024
SYSTEM = "You are a helpful assistant. Answer in plain text."
MAX_CHARS = 4000
MAX_PER_HOUR = 30  # answers one caller may start in an hour
HERE = Path(__file__).parent
log = logging.getLogger("relay")

# One token per user, issued by you: RELAY_TOKENS="alice:<token>,..."
USERS = {}
for entry in os.environ["RELAY_TOKENS"].split(","):
    user, _, token = entry.partition(":")
    if not user or not token:  # an empty token would let anyone in
        raise SystemExit(f"RELAY_TOKENS: {entry!r} is not user:token")
    USERS[token] = user

# A stall ends in an error event after 60 s of silence, before a
# proxy in front gives up on the connection (nginx: 300 s below).
client = anthropic.AsyncAnthropic(timeout=anthropic.Timeout(60, connect=5))
app = FastAPI()
bearer = HTTPBearer(auto_error=False)
started = defaultdict(deque)  # user -> when their answers started


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


def admit(user: str) -> None:
    """Count the answer against the user's hourly limit, or refuse it."""
    now = time.monotonic()
    times = started[user]
    while times and now - times[0] > 3600:
        times.popleft()
    if len(times) >= MAX_PER_HOUR:
        wait = int(3600 - (now - times[0])) + 1
        raise HTTPException(
            429,
            f"Limit reached: {MAX_PER_HOUR} answers an hour.",
            {"Retry-After": str(wait)},
        )
    times.append(now)


class Ask(BaseModel):
    # Any other field (a model, a max_tokens...) is refused with a 422.
    model_config = ConfigDict(extra="forbid")
    message: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=MAX_CHARS
        ),
    ]


def sse(event: str, data: dict) -> str:
    # JSON on one line: a newline in the text cannot end the event.
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def relay(request: Request, message: str):
    stream = None  # set once the request has been let through
    try:
        async with client.messages.stream(
            model=MODEL,
            max_tokens=MAX_TOKENS,
            system=SYSTEM,
            messages=[{"role": "user", "content": message}],
        ) as stream:
            async for event in stream:
                # Asked, not left to the server library: returning
                # leaves the block, which closes the request to the API.
                if await request.is_disconnected():
                    return
                # Only text goes to the page (thinking blocks do not).
                if event.type == "text":
                    yield sse("text", {"text": event.text})
                elif event.type == "message_stop":
                    reason = event.message.stop_reason
                    yield sse("done", {"stop_reason": reason})
                    return
        # No message_stop and nothing raised: the body ended early.
        yield sse(
            "error",
            {"type": "incomplete", "message": "The answer ended early."},
        )
    except anthropic.APIStatusError as err:  # HTTP error or error event
        what = err.type or f"HTTP {err.status_code}"
        text = err.api_message or err.message
        yield sse("error", {"type": what, "message": text})
    except (anthropic.APIError, UnicodeDecodeError) as err:
        # no response, or the connection broke or stalled mid-stream
        # (UnicodeDecodeError: the body was closed inside a character)
        what = type(err).__name__
        text = f"The connection to the API was interrupted ({what})."
        yield sse("error", {"type": what, "message": text})
    except (anthropic.AnthropicError, TypeError) as err:
        if stream is not None:  # not at the request: a bug, not ours
            raise
        # The relay's own credentials: none (the SDK's TypeError), or an
        # identity token it cannot use. Its message names files on the
        # server: it goes to the log, not to the page.
        log.error("no usable API credentials: %s", err)
        text = "The relay has no usable API credentials."
        yield sse("error", {"type": "credentials", "message": text})


@app.post("/chat")
async def chat(
    ask: Ask, request: Request, user: Annotated[str, Depends(caller)]
) -> StreamingResponse:
    admit(user)
    return StreamingResponse(
        relay(request, ask.message),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-cache",
            # nginx: pass each event on as it comes, unbuffered
            "X-Accel-Buffering": "no",
        },
    )


@app.get("/")
async def page() -> FileResponse:
    return FileResponse(HERE / "relay_page.html")


@app.get("/relay_page.js")
async def script() -> FileResponse:
    return FileResponse(HERE / "relay_page.js")
