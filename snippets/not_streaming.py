"""create() without stream=True returns one finished Message, which has
no text_stream."""

import anthropic

client = anthropic.Anthropic()
request = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 256,
    "messages": [
        {"role": "user", "content": "Explain streaming in one sentence."}
    ],
}

message = client.messages.create(**request)  # waits for the whole answer
print(
    f"create() returned a {type(message).__name__} "
    f"(stop_reason: {message.stop_reason})"
)
print(f"  has text_stream: {hasattr(message, 'text_stream')}")

with client.messages.stream(
    **request
) as stream:  # events as they are generated
    print(f"stream() gave a {type(stream).__name__}")
    print(f"  has text_stream: {hasattr(stream, 'text_stream')}")
