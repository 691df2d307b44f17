"""Each text event carries the new fragment and the text so far."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-4-6",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about the sea."}],
) as stream:
    for event in stream:
        if event.type == "text":
            print(f"delta {event.text!r:<32} snapshot has {len(event.snapshot)} characters")

    message = stream.current_message_snapshot  # the same accumulated Message
print(f"\nfinal text: {len(message.content[0].text)} characters")
