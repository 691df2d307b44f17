"""Measure a stream: time to first token, and output tokens per second."""

import time

import anthropic

client = anthropic.Anthropic()

start = time.perf_counter()
first = None  # when the first text arrived
with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about the sea."}],
) as stream:
    for text in stream.text_stream:
        if first is None:
            first = time.perf_counter()
        print(text, end="", flush=True)
    message = stream.get_final_message()
end = time.perf_counter()

print(f"\n\nstop_reason: {message.stop_reason}")
if first is None:
    print("no text arrived")
else:
    tokens = message.usage.output_tokens  # the final, cumulative count
    print(f"time to first token: {first - start:.2f} s")
    print(f"after it: {tokens} tokens in {end - first:.2f} s", end=" ")
    print(f"({tokens / max(end - first, 1e-3):.0f} tokens/s)")
