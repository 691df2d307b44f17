"""The low-level stream: create(stream=True) yields the wire events."""

import anthropic

client = anthropic.Anthropic()

# --8<-- [start:raw]
stream = client.messages.create(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about the sea."}],
    stream=True,
)
text = []
with stream:  # closes the connection even if the loop stops early
    for event in stream:
        print(event.type)
        if (
            event.type == "content_block_delta"
            and event.delta.type == "text_delta"
        ):
            text.append(event.delta.text)
        elif event.type == "message_delta":
            print(f"  stop_reason={event.delta.stop_reason}")
            print(
                f"  output_tokens={event.usage.output_tokens} "
                "(a running total)"
            )
# --8<-- [end:raw]

print("".join(text))
