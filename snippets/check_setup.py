"""Check that the SDK is installed and a key is available, without printing the key."""

import os

import anthropic

print(f"anthropic {anthropic.__version__} is installed")
if os.environ.get("ANTHROPIC_API_KEY"):
    print("ANTHROPIC_API_KEY is set")
else:
    print("ANTHROPIC_API_KEY is not set: export it before running the samples")
