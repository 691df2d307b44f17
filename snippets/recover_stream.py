"""Finish an answer whose stream broke: send the request again if nothing
was shown yet, otherwise ask for the rest and stitch it on.

Usage: python recover_stream.py [MODEL]
"""

import sys

import anthropic
import httpx2

client = anthropic.Anthropic()
MODEL = sys.argv[1] if len(sys.argv) > 1 else "claude-sonnet-4-6"
PROMPT = "How do I recover when a stream breaks? Answer in one paragraph."
ATTEMPTS = 4
BROKEN = (
    anthropic.APIStatusError,  # an HTTP error, or an `error` event
    anthropic.APIConnectionError,  # no response, after the SDK's retries
    httpx2.TransportError,  # the connection dropped or stalled mid-stream
)


def generation(model: str) -> tuple[int, int]:
    """(4, 6) for "claude-sonnet-4-6"."""
    major, minor = model.split("-")[2:4]
    return int(major), int(minor)


# --8<-- [start:request]
def continuation(shown: str) -> list[dict]:
    """The request for the rest of an answer that stopped after `shown`."""
    asked = {"role": "user", "content": PROMPT}
    so_far = {"role": "assistant", "content": shown}
    if generation(MODEL) >= (4, 6):
        # Claude 4.6 and later reject a final assistant turn: ask instead.
        carry_on = (
            "Your previous response was interrupted. Continue exactly "
            "where it ended, without repeating anything."
        )
        return [asked, so_far, {"role": "user", "content": carry_on}]
    # Claude 4.5 and earlier continue a partial assistant turn.
    return [asked, so_far]


# --8<-- [end:request]


# --8<-- [start:stream]
shown = ""  # the text on screen: never printed twice, never lost
held = ""  # trailing whitespace not printed yet (see below)
message = None  # the whole answer, once message_stop arrives
for _ in range(ATTEMPTS):
    if shown:
        messages = continuation(shown)
    else:
        messages = [{"role": "user", "content": PROMPT}]
    held = ""
    try:
        with client.messages.stream(
            model=MODEL, max_tokens=1024, messages=messages
        ) as stream:
            for event in stream:
                if event.type == "text":
                    # Hold back trailing whitespace: a request may not end
                    # in it, and the continuation starts with it again.
                    text = held + event.text
                    held = text[len(text.rstrip()) :]
                    print(text.rstrip(), end="", flush=True)
                    shown += text.rstrip()
                elif event.type == "message_stop":
                    message = event.message
    except BROKEN as err:
        what = getattr(err, "type", None) or type(err).__name__
        print(f"\n[{what}; resuming]", file=sys.stderr)
        continue
    if message is not None:
        break
    # No message_stop and nothing raised: a proxy ended the body early.
    print("\n[the stream ended early; resuming]", file=sys.stderr)
# --8<-- [end:stream]

if message is None:
    sys.exit(
        f"\nGave up after {ATTEMPTS} attempts ({len(shown)} characters)."
    )
print(held)
print(f"\nstop_reason: {message.stop_reason}")
