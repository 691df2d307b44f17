"""React to each event of a streamed message: blocks, deltas, stop."""

import anthropic

client = anthropic.Anthropic()

tools = [
    {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "input_schema": {
            "type": "object",
            "properties": {
                "location": {
                    "type": "string",
                    "description": "City and country",
                },
                "unit": {
                    "type": "string",
                    "enum": ["celsius", "fahrenheit"],
                },
            },
            "required": ["location"],
        },
    }
]

# --8<-- [start:loop]
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    tools=tools,
    messages=[
        {"role": "user", "content": "What's the weather like in Paris?"}
    ],
) as stream:
    for event in stream:
        if event.type == "message_start":
            print(f"message_start     id={event.message.id}")
        elif event.type == "content_block_start":
            print(
                f"content_block_start [{event.index}] "
                f"{event.content_block.type}"
            )
        elif event.type == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta":
                print(f"  text_delta        {delta.text!r}")
            elif delta.type == "input_json_delta":
                print(f"  input_json_delta  {delta.partial_json!r}")
            elif delta.type == "thinking_delta":
                print(f"  thinking_delta    {delta.thinking!r}")
            elif delta.type == "signature_delta":
                print("  signature_delta")
            elif delta.type == "citations_delta":
                print(f"  citations_delta   {delta.citation.cited_text!r}")
            else:
                print(f"  {delta.type} (new delta type, skipped)")
        elif event.type == "content_block_stop":
            print(f"content_block_stop  [{event.index}]")
        elif event.type == "message_delta":
            print(
                f"message_delta     stop_reason={event.delta.stop_reason}"
            )
        elif event.type == "message_stop":
            print("message_stop")
        # Other types are the helper's convenience events (text, input_json,
        # thinking, ...) built from the deltas above, or types added to the
        # API after this code was written: skipping them keeps it working.
# --8<-- [end:loop]

# The model may call the tool, call it twice, or answer in text and
# call nothing.
calls = [
    block
    for block in stream.get_final_message().content
    if block.type == "tool_use"
]
for call in calls:
    print(f"\n{call.name} called with {call.input}")
if not calls:
    print("\nNo tool was called.")
