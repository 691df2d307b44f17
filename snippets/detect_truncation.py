"""Notice when an answer was cut off by max_tokens instead of finishing."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=20,
    messages=[
        {"role": "user", "content": "Tell me a short story about a robot."}
    ],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    message = stream.get_final_message()

print(f"\n\nstop_reason: {message.stop_reason}")
if message.stop_reason == "max_tokens":
    print(
        "The answer is incomplete: raise max_tokens, "
        "or ask for a shorter answer."
    )
