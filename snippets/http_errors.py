"""Tell apart the HTTP errors a request can get before its stream starts."""

import sys

import anthropic

client = anthropic.Anthropic()

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
except anthropic.AuthenticationError as err:
    sys.exit(
        f"{err.status_code} {err.type}: check ANTHROPIC_API_KEY. "
        f"({err.api_message})"
    )
except anthropic.PermissionDeniedError as err:
    sys.exit(
        f"{err.status_code} {err.type}: "
        "this key may not use this model or workspace."
    )
except anthropic.NotFoundError as err:
    sys.exit(
        f"{err.status_code} {err.type}: check the model id. "
        f"({err.api_message})"
    )
except anthropic.RateLimitError as err:
    sys.exit(
        f"{err.status_code} {err.type}: "
        "still rate limited after the SDK's retries."
    )
except anthropic.OverloadedError as err:
    sys.exit(
        f"{err.status_code} {err.type}: "
        "the API is overloaded; the SDK already retried."
    )
