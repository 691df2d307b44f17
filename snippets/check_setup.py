"""Check that the SDK is installed and finds your credentials (one tiny
request)."""

import sys

import anthropic

print(f"anthropic {anthropic.__version__} is installed")

try:
    # The client finds your key, token or profile by itself.
    client = anthropic.Anthropic()
    message = client.messages.create(
        model="claude-sonnet-5-5",
        max_tokens=16,
        messages=[{"role": "user", "content": "Say OK."}],
    )
except TypeError:  # the SDK found no credential at all
    sys.exit("No credentials found: set ANTHROPIC_API_KEY (see Setup).")
except (
    anthropic.CredentialsError,  # a profile or token file, unusable
    anthropic.WorkloadIdentityError,  # a token exchange, refused
) as err:
    sys.exit(f"Your credentials could not be used: {err}")
except anthropic.AuthenticationError:
    sys.exit("The API refused your credentials: check them in the Console.")

print(
    f"Your credentials work: {message.model} answered "
    f"({message.stop_reason})."
)
