"""Stream a response without the SDK: httpx sends the request, httpx-sse
reads the Server-Sent Events."""

import json
import os
import sys

import httpx
from httpx_sse import connect_sse

url = os.environ.get("ANTHROPIC_BASE_URL", "https://api.anthropic.com")
key = os.environ.get("ANTHROPIC_API_KEY")
if not key:  # tokens, profiles and the rest are the SDK's to find
    sys.exit("Set ANTHROPIC_API_KEY: the only credential read here.")
headers = {
    "x-api-key": key,
    "anthropic-version": "2026-10-21",
    "content-type": "application/json",
}
body = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 1024,
    "stream": True,
    "messages": [
        {"role": "user", "content": "Explain streaming in one sentence."}
    ],
}

stop_reason = None
finished = False  # message_stop arrived: the answer is whole
# read: the longest silence allowed between two chunks of the stream
with httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0)) as client:
    with connect_sse(
        client, "POST", f"{url}/v1/messages", headers=headers, json=body
    ) as source:
        response = source.response
        if response.status_code != 200:  # an error body, not events
            response.read()
            sys.exit(f"HTTP {response.status_code}: {response.text}")
        for sse in source.iter_sse():
            data = json.loads(sse.data)  # one JSON object per event
            kind = data["type"]  # the event's type, as its event: line says
            if kind == "content_block_delta":
                if data["delta"]["type"] == "text_delta":
                    print(data["delta"]["text"], end="", flush=True)
            elif kind == "message_delta":
                stop_reason = data["delta"]["stop_reason"]
            elif kind == "message_stop":
                finished = True
            elif kind == "error":  # inside a 200 stream
                error = data["error"]
                sys.exit(f"\n{error['type']}: {error['message']}")
            # ping, the other events and any new type: nothing to do

if not finished:  # the body ended cleanly, but before message_stop
    sys.exit("\nThe stream ended early: the answer is incomplete.")
print(f"\nstop_reason: {stop_reason}")
