"""Print Claude's answer while it is being written."""

import anthropic

client = (
    anthropic.Anthropic()
)  # reads ANTHROPIC_API_KEY from the environment

# --8<-- [start:stream]
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about the sea."}],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    message = stream.get_final_message()
print(f"\n\nstop_reason: {message.stop_reason}")
# --8<-- [end:stream]
