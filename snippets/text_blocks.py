"""The text is not always content[0]: pick blocks by type."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=4096,
    thinking={"type": "adaptive"},
    messages=[{"role": "user", "content": "What is 27 * 453?"}],
) as stream:
    message = stream.get_final_message()

print("block types:", [block.type for block in message.content])
answer = "".join(
    block.text for block in message.content if block.type == "text"
)
print("answer:", answer)
print("stop_reason:", message.stop_reason)
