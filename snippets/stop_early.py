"""Stop reading once you have enough: leaving the with block closes the
connection."""

import anthropic

client = anthropic.Anthropic()

received = ""
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
            break  # the user pressed "stop": no more tokens are read
    else:  # the answer ended before the limit
        stop_reason = stream.get_final_message().stop_reason

print(received)
if stop_reason is None:
    print(f"\n[stopped after {len(received)} characters]")
else:
    print(f"\n[the answer ended first: stop_reason {stop_reason}]")
