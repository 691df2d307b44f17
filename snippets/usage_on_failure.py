"""When a stream fails halfway, keep the text and the usage you have."""

import sys

import anthropic

client = anthropic.Anthropic()

started = None  # message_start's usage: input and cache counts
message = None  # the whole message, once message_stop arrives
try:
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        messages=[
            {"role": "user", "content": "Tell me a story about a robot."}
        ],
    ) as stream:
        for event in stream:
            if event.type == "message_start":
                started = event.message.usage
            elif event.type == "text":
                print(event.text, end="", flush=True)
            elif event.type == "message_stop":
                message = event.message
except (anthropic.APIError, UnicodeDecodeError) as err:
    # An HTTP error, an `error` event, a dropped or stalled connection,
    # or (UnicodeDecodeError) a body closed inside a character
    failure = getattr(err, "type", None) or type(err).__name__
else:
    failure = None if message else "the stream ended early"
print()

if message is not None:
    usage = message.usage  # final: message_delta's totals
    print(
        f"input={usage.input_tokens} output={usage.output_tokens} "
        f"stop_reason={message.stop_reason}"
    )
    sys.exit(0)
if started is None:
    print("usage: none, the answer never started")
else:
    # The input counts are final, unless server tools (web search...)
    # added their results: then they are a lower bound. The output count
    # is not sent until message_delta: message_start's is a placeholder.
    print(f"input={started.input_tokens} output=unknown")
sys.exit(f"stream failed: {failure}")
