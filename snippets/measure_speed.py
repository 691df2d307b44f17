"""Measure a stream: time to first text, and output tokens per second."""

import sys
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
    print(f"time to first text: {first - start:.2f} s")
if message.stop_reason is None:  # no message_delta: no final count
    sys.exit("The stream ended early: no output count to measure.")
# output_tokens counts every token the model wrote, thinking included, and
# the stream gives no count per fragment: the one exact rate is over the
# whole request, the wait for the first text included.
tokens = message.usage.output_tokens
seconds = max(end - start, 1e-3)
print(f"{tokens} output tokens in {seconds:.2f} s", end=" ")
print(f"({tokens / seconds:.0f} tokens/s overall)")
