"""A tool loop, streamed: show the text as it arrives, run each tool call,
send the results back, until the model has answered."""

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
MAX_TURNS = 5  # a model that keeps calling tools must not loop forever


def get_weather(location: str) -> str:
    # A stand-in for a real weather service.
    return json.dumps({"location": location, "celsius": 18})


def run_tool(call) -> dict:
    """The tool_result for one call; a failing tool is told to the model."""
    try:
        if call.name != "get_weather":
            raise ValueError(f"unknown tool {call.name!r}")
        return {
            "type": "tool_result",
            "tool_use_id": call.id,
            "content": get_weather(**call.input),
        }
    except Exception as err:  # a bad argument, a service that is down...
        return {
            "type": "tool_result",
            "tool_use_id": call.id,
            "content": f"Error: {err}",
            "is_error": True,
        }


messages = [{"role": "user", "content": "What's the weather in Paris?"}]

# --8<-- [start:loop]
for _ in range(MAX_TURNS):
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        tools=TOOLS,
        messages=messages,
    ) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
        message = stream.get_final_message()
    print()

    calls = [b for b in message.content if b.type == "tool_use"]
    if message.stop_reason != "tool_use" or not calls:
        print(f"[done: stop_reason {message.stop_reason}]")
        break
    # The assistant turn goes back unchanged, then one result per call.
    messages.append({"role": "assistant", "content": message.content})
    results = []
    for call in calls:
        print(f"[tool] {call.name} {call.input}")
        results.append(run_tool(call))
    messages.append({"role": "user", "content": results})
else:
    print(f"[stopped: no final answer after {MAX_TURNS} turns]")
# --8<-- [end:loop]
