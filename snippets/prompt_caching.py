"""Cache a long system prompt: the first request writes the cache, the
second reads it."""

import anthropic

client = anthropic.Anthropic()

# Stands in for a long document: over 9,000 tokens. The API caches no
# prefix shorter than the model's minimum, up to 4,096 tokens.
lease = "\n".join(
    f"Clause {n}: the tenant keeps the flat clean and quiet."
    for n in range(1, 701)
)
system = [
    {
        "type": "text",
        "text": "Answer questions about this lease.\n\n" + lease,
        "cache_control": {"type": "ephemeral"},  # cache up to here
    }
]

for question in ["Can I keep a cat?", "Who pays for repairs?"]:
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        system=system,
        messages=[{"role": "user", "content": question}],
    ) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
        message = stream.get_final_message()
    usage = message.usage
    # Without message_delta (the stream ended early) the output count is
    # message_start's starting count, not the answer's.
    output = usage.output_tokens if message.stop_reason else "unknown"
    print(
        f"\n[{message.stop_reason}] input={usage.input_tokens} "
        f"cache write={usage.cache_creation_input_tokens} "
        f"cache read={usage.cache_read_input_tokens} "
        f"output={output}\n"
    )
