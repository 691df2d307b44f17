"""A non-streaming request that could run past ten minutes is refused
before it is sent."""

import anthropic

client = anthropic.Anthropic()

try:
    client.messages.create(
        model="claude-sonnet-5-5",
        max_tokens=64000,
        messages=[
            {
                "role": "user",
                "content": "Write a detailed report on ocean currents.",
            }
        ],
    )
except ValueError as err:
    print(f"ValueError: {err}")
