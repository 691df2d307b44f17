"""Check that the SDK is installed and finds your credentials (one tiny
request)."""

import sys

import anthropic

print(f"anthropic {anthropic.__version__} is installed")

try:
    client = (
        anthropic.Anthropic()
    )  # finds your key, token or profile by itself
    message = client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=16,
        messages=[{"role": "user", "content": "Say OK."}],
    )
except TypeError:  # the SDK found no credential at all
    sys.exit("No credentials found: set ANTHROPIC_API_KEY (see Setup).")
except anthropic.AuthenticationError:
    sys.exit("The API rejected your key: check it in the Claude Console.")

print(
    f"Your credentials work: {message.model} answered "
    f"({message.stop_reason})."
)
