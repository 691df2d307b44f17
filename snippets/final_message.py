"""Stream a long answer for a program, not a person: keep only the final
message."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=64000,
    messages=[
        {
            "role": "user",
            "content": "Write a detailed report on ocean currents.",
        }
    ],
) as stream:
    message = (
        stream.get_final_message()
    )  # reads the whole stream, then returns

print(f"{message.stop_reason}: {message.usage.output_tokens} output tokens")
# get_final_text() raises RuntimeError when there is no text block (a
# refusal, a tool call): join the text blocks instead.
print(
    "".join(block.text for block in message.content if block.type == "text")
)
