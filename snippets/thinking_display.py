"""Show that the model is thinking while its thoughts are not sent.

claude-sonnet-5-5 thinks before it answers and, by default, omits the
thinking text: a thinking block opens, only its signature arrives, and
the answer starts when it closes. Without a sign, that pause looks like
a stall.
"""

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=4096,
    messages=[{"role": "user", "content": "What is 27 * 453?"}],
) as stream:
    for event in stream:
        if event.type == "content_block_start":
            if event.content_block.type in (
                "thinking",
                "redacted_thinking",
            ):
                print("[thinking...]", end=" ", flush=True)
        elif event.type == "thinking":
            # Only with "display": "summarized": the thoughts themselves.
            print(event.thinking, end="", flush=True)
        elif event.type == "content_block_stop":
            if event.content_block.type in (
                "thinking",
                "redacted_thinking",
            ):
                print("[done]")
        elif event.type == "text":
            print(event.text, end="", flush=True)
    message = stream.get_final_message()

print(f"\n\nstop_reason: {message.stop_reason}")
