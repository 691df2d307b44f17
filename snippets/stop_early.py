"""Stop reading once you have enough: leaving the with block closes the
connection."""

import sys

import anthropic

client = anthropic.Anthropic()

received = ""
stopped = False  # True once we stop reading on purpose
stop_reason = None
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[
        {"role": "user", "content": "Tell me a short story about a robot."}
    ],
) as stream:
    for text in stream.text_stream:
        received += text
        if len(received) >= 120:
            stopped = True
            break  # the user pressed "stop": no more tokens are read
    else:  # the answer ended before the limit
        stop_reason = stream.get_final_message().stop_reason

print(received)
if stopped:
    print(f"\n[stopped after {len(received)} characters]")
elif stop_reason is None:  # no message_delta: the body ended early
    sys.exit("\nThe stream ended early: the answer is incomplete.")
else:
    print(f"\n[the answer ended first: stop_reason {stop_reason}]")
