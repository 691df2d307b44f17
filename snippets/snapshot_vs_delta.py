"""Each text event carries the new fragment and the text so far."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about the sea."}],
) as stream:
    for event in stream:
        if event.type == "text":
            print(
                f"delta {event.text!r:<32} "
                f"snapshot has {len(event.snapshot)} characters"
            )

    message = stream.get_final_message()  # the same accumulated Message

# The answer may span several text blocks, or follow other blocks:
# join them by type.
text = "".join(
    block.text for block in message.content if block.type == "text"
)
print(
    f"\nfinal text: {len(text)} characters, "
    f"stop_reason: {message.stop_reason}"
)
