"""Relay Claude's answer to a browser as Server-Sent Events.

Run: uvicorn relay_app:app, then open http://127.0.0.1:8000
"""

import json
from pathlib import Path
from typing import Annotated

import anthropic
import httpx2
from fastapi import FastAPI
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, StringConstraints

# Fixed here, not sent by the browser: this is not an open proxy for
# your API key (which the SDK reads from ANTHROPIC_API_KEY).
MODEL = "claude-sonnet-5-5"
MAX_TOKENS = 1024
SYSTEM = "You are a helpful assistant. Answer in plain text."
MAX_CHARS = 4000
HERE = Path(__file__).parent

client = anthropic.AsyncAnthropic()
app = FastAPI()


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


async def relay(message: str):
    try:
        # Leaving this block closes the upstream response, also when
        # the generator is cancelled because the browser went away:
        # the API stops generating, and you stop paying.
        async with client.messages.stream(
            model=MODEL,
            max_tokens=MAX_TOKENS,
            system=SYSTEM,
            messages=[{"role": "user", "content": message}],
        ) as stream:
            async for event in stream:
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
    except (anthropic.APIError, httpx2.TransportError) as err:
        # no response, or the connection broke or stalled mid-stream
        what = type(err).__name__
        text = f"The connection to the API was interrupted ({what})."
        yield sse("error", {"type": what, "message": text})


@app.post("/chat")
async def chat(ask: Ask) -> StreamingResponse:
    return StreamingResponse(
        relay(ask.message),
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
