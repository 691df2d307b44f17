"""Rate limits before the stream starts are retried by the SDK; set how
many times."""

import sys

import anthropic

client = anthropic.Anthropic(max_retries=4)  # the default is 2

try:
    with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=256,
        messages=[
            {
                "role": "user",
                "content": "Explain streaming in one sentence.",
            }
        ],
    ) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
        print(f"\nstop_reason: {stream.get_final_message().stop_reason}")
except anthropic.RateLimitError as err:
    # Raised once the retries were rate limited too, or at once if the API
    # answered `x-should-retry: false`.
    sys.exit(f"Rate limited; try again later (request id {err.request_id})")
