"""A tool loop with extended thinking: show the thinking apart from the
answer, and send every assistant turn back unchanged."""

import json

import anthropic

client = anthropic.Anthropic()

TOOLS = [
    {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "input_schema": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
    }
]
messages = [
    {"role": "user", "content": "Should I take an umbrella in Paris?"}
]

for _ in range(5):  # a turn limit: the model may keep calling the tool
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=4096,
        thinking={"type": "adaptive", "display": "summarized"},
        tools=TOOLS,
        messages=messages,
    ) as stream:
        for event in stream:
            if event.type == "content_block_start":
                kind = event.content_block.type
                if kind in ("thinking", "redacted_thinking"):
                    print(f"[{kind}] ", end="")
            elif event.type == "thinking":
                print(event.thinking, end="", flush=True)
            elif event.type == "text":
                print(event.text, end="", flush=True)
            elif event.type == "content_block_stop":
                print()
        message = stream.get_final_message()

    calls = [b for b in message.content if b.type == "tool_use"]
    if message.stop_reason != "tool_use" or not calls:
        print(f"[done: stop_reason {message.stop_reason}]")
        break
    # Unchanged, thinking blocks first: dropping or editing one fails the
    # next request with a 400.
    messages.append({"role": "assistant", "content": message.content})
    results = []
    for call in calls:
        print(f"[tool] {call.name} {call.input}")
        weather = {"location": call.input.get("location"), "rain": "70%"}
        results.append(
            {
                "type": "tool_result",
                "tool_use_id": call.id,
                "content": json.dumps(weather),
            }
        )
    messages.append({"role": "user", "content": results})
else:
    print("[stopped: no final answer after 5 turns]")
