"""Stream a response with extended thinking: the thinking text (if it
thinks), then the answer. "summarized" asks for the thinking text, which
claude-sonnet-5-5 otherwise omits."""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=4096,
    thinking={"type": "adaptive", "display": "summarized"},
    messages=[{"role": "user", "content": "What is 27 * 453?"}],
) as stream:
    for event in stream:
        if event.type == "content_block_start":
            print(f"\n[{event.content_block.type}]")
        elif event.type == "thinking":
            print(event.thinking, end="", flush=True)
        elif event.type == "text":
            print(event.text, end="", flush=True)
        elif event.type == "signature":
            print(
                "\n[signature received: the thinking block is complete]",
                end="",
            )
    message = stream.get_final_message()

print(f"\n\nstop_reason: {message.stop_reason}")
