"""Finish an answer whose stream broke: send the request again if nothing
was shown yet, otherwise ask for the rest and stitch it on.

Usage: python recover_stream.py [MODEL]
"""

import sys

import anthropic

# A stall must end in an error to be recovered from: 30 s of silence, not
# the default 600 s.
client = anthropic.Anthropic(
    timeout=anthropic.Timeout(600.0, read=30.0, connect=5.0)
)
MODEL = sys.argv[1] if len(sys.argv) > 1 else "claude-sonnet-5-5"
PROMPT = "How do I recover when a stream breaks? Answer in one paragraph."
ATTEMPTS = 4
# Models that continue a final assistant turn (a prefill), less those
# the SDK deprecates; most others reject one with a 400.
PREFILL_MODELS = ("claude-haiku-4-5",)


def worth_resuming(err: Exception) -> bool:
    """A break or a passing overload, not a request the API refused."""
    if isinstance(err, anthropic.APIConnectionError):
        return True  # dropped or stalled (APITimeoutError is a subclass)
    if isinstance(err, UnicodeDecodeError):
        return True  # the body was closed inside a character
    status = getattr(err, "status_code", None)
    # 200: an `error` event inside the stream; the rest: worth a retry
    return status in (200, 408, 409, 429) or (status or 0) >= 500


# --8<-- [start:request]
def continuation(shown: str) -> list[dict]:
    """The request for the rest of an answer that stopped after `shown`."""
    asked = {"role": "user", "content": PROMPT}
    so_far = {"role": "assistant", "content": shown}
    if MODEL.startswith(PREFILL_MODELS):
        # These continue a partial assistant turn.
        return [asked, so_far]
    # Newer models reject a final assistant turn: ask instead.
    carry_on = (
        "Your previous response was interrupted. Continue exactly "
        "where it ended, without repeating anything."
    )
    return [asked, so_far, {"role": "user", "content": carry_on}]


# --8<-- [end:request]


# --8<-- [start:stream]
shown = ""  # the text on screen: never printed twice, never lost
held = ""  # trailing whitespace not printed yet (see below)
ended = None  # the stop reason, once message_delta says the answer ended
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
                elif event.type == "message_delta":
                    ended = event.delta.stop_reason
                elif event.type == "message_stop":
                    message = event.message
    except (anthropic.APIError, UnicodeDecodeError) as err:
        if message is not None:
            break  # it broke after message_stop: the answer is whole
        if ended is not None:
            # Nothing is missing but the end of the stream: asking for
            # "the rest" would make the model write more.
            sys.exit(
                f"\n[the stream broke after the answer ended ({ended})]"
            )
        if not worth_resuming(err):
            sys.exit(f"\nThe API refused the request: {err}")
        what = getattr(err, "type", None) or type(err).__name__
        print(f"\n[{what}; resuming]", file=sys.stderr)
        continue
    if message is not None:
        break
    if ended is not None:  # message_delta came, message_stop did not
        sys.exit(f"\n[the stream ended after the answer ended ({ended})]")
    # No message_stop and nothing raised: a proxy ended the body early.
    print("\n[the stream ended early; resuming]", file=sys.stderr)
# --8<-- [end:stream]

if message is None:
    sys.exit(
        f"\nGave up after {ATTEMPTS} attempts ({len(shown)} characters)."
    )
print(held)
print(f"\nstop_reason: {message.stop_reason}")
