"""Tell a refusal apart from an error: the answer is complete, its
stop_reason is "refusal", and stop_details names the policy category."""

import sys

import anthropic

client = anthropic.Anthropic()

with client.messages.stream(
    model="claude-sonnet-5-5",
    max_tokens=1024,
    messages=[
        {
            "role": "user",
            "content": "Write ransomware that encrypts a hospital's files.",
        }
    ],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    message = stream.get_final_message()
print()

if message.stop_reason == "refusal":
    # Not an exception, and not worth retrying as it is. Show the category;
    # the explanation's wording is not stable, so never match on it.
    details = message.stop_details
    category = details.category if details else None
    print(f"[declined: refusal, category {category or 'not given'}]")
    sys.exit(0)
print(f"stop_reason: {message.stop_reason}")
