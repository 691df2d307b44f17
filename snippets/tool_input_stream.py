"""Watch a tool's input arrive in fragments; parse it once, when its block
stops, and cope with input that is not valid JSON."""

import json

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
            # send the input as it is generated, not validated first
            "eager_input_streaming": True,
        }
    ],
    messages=[{"role": "user", "content": "What's the weather in Paris?"}],
    stream=True,
)

# --8<-- [start:accumulate]
fragments: dict[int, list[str]] = {}  # tool input so far, by block index
stop_reason = None
with stream:
    for event in stream:
        if event.type == "content_block_start":
            if event.content_block.type == "tool_use":
                fragments[event.index] = []
                print(f"[{event.index}] calling {event.content_block.name}")
        elif event.type == "content_block_delta":
            if event.delta.type == "input_json_delta":
                fragments[event.index].append(event.delta.partial_json)
                print(f"    so far: {''.join(fragments[event.index])}")
        elif event.type == "content_block_stop":
            if event.index not in fragments:
                continue  # not a tool call
            raw = "".join(fragments.pop(event.index)) or "{}"
            try:
                arguments = json.loads(raw)  # complete only now
                print(f"[{event.index}] arguments: {arguments}")
            except json.JSONDecodeError as err:
                # Answer with a tool_result that has is_error: True.
                print(f"[{event.index}] not valid JSON: {err.msg}")
        elif event.type == "message_delta":
            stop_reason = event.delta.stop_reason
# --8<-- [end:accumulate]

print(f"stop_reason: {stop_reason}")
