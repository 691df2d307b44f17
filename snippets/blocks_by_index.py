"""Assemble a raw stream yourself: one buffer per block, keyed by index."""

import anthropic

client = anthropic.Anthropic()

stream = client.messages.create(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    tools=[
        {
            "name": "get_weather",
            "description": "Get the current weather for a city.",
            "input_schema": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
            },
        }
    ],
    messages=[
        {"role": "user", "content": "What's the weather like in Paris?"}
    ],
    stream=True,
)
blocks: dict[int, dict] = {}
stop_reason = None
with stream:
    for event in stream:
        if event.type == "content_block_start":
            blocks[event.index] = {
                "type": event.content_block.type,
                "parts": [],
            }
        elif event.type == "content_block_delta":
            block = blocks.setdefault(
                event.index, {"type": "unknown", "parts": []}
            )
            if event.delta.type == "text_delta":
                block["parts"].append(event.delta.text)
            elif event.delta.type == "input_json_delta":
                block["parts"].append(event.delta.partial_json)
        elif event.type == "message_delta":
            stop_reason = event.delta.stop_reason

for index, block in sorted(blocks.items()):
    print(f"[{index}] {block['type']}: {''.join(block['parts'])}")
print(f"stop_reason: {stop_reason}")
