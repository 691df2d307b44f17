"""Notice a stalled stream after 60 s of silence, not the default 600 s."""

import anthropic

client = anthropic.Anthropic(
    # read: the longest silence allowed between two chunks of the stream
    timeout=anthropic.Timeout(600.0, read=60.0, connect=5.0),
)

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[
        {"role": "user", "content": "Explain streaming in one sentence."}
    ],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    message = stream.get_final_message()
print(f"\nstop_reason: {message.stop_reason}")
