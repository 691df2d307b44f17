"""Usage in message_delta is the message's total: take it, don't add."""

import anthropic

client = anthropic.Anthropic()

stream = client.messages.create(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[
        {"role": "user", "content": "Tell me a short story about a robot."}
    ],
    stream=True,
)
input_tokens = output_tokens = 0
stop_reason = None
with stream:
    for event in stream:
        if event.type == "message_start":
            input_tokens = event.message.usage.input_tokens
        elif event.type == "message_delta":
            # totals for the whole message: replace, never +=
            output_tokens = event.usage.output_tokens
            if event.usage.input_tokens is not None:
                input_tokens = event.usage.input_tokens
            stop_reason = event.delta.stop_reason

print(
    f"input_tokens={input_tokens} output_tokens={output_tokens} "
    f"stop_reason={stop_reason}"
)
