"""Stream a response end to end: key check, live output, summary, and clean failures.

Usage:
    export ANTHROPIC_API_KEY=...   # from the Claude Console; never put it in code
    python complete_example.py
"""

import os
import sys

import anthropic
import httpx2

MODEL = "claude-sonnet-4-6"
PROMPT = "Write a short poem about a developer who finally fixed a bug."


def main() -> int:
    if not os.environ.get("ANTHROPIC_API_KEY"):
        print(
            "ANTHROPIC_API_KEY is not set.\n"
            "Create a key in the Claude Console, then run: export ANTHROPIC_API_KEY=<your key>",
            file=sys.stderr,
        )
        return 1

    client = anthropic.Anthropic()
    received: list[str] = []  # everything printed so far, kept if the stream fails

    try:
        with client.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": PROMPT}],
        ) as stream:
            for text in stream.text_stream:
                received.append(text)
                print(text, end="", flush=True)
            message = stream.get_final_message()
    except anthropic.APIStatusError as err:
        # An HTTP error before the stream, or an `error` event inside it.
        reason = f"API error {err.status_code} ({err.type}): {err.api_message}"
        return report_failure(reason, received)
    except anthropic.APIConnectionError as err:
        # The request never got a response, even after the SDK's retries.
        return report_failure(f"could not reach the API: {err}", received)
    except httpx2.TransportError as err:
        # The connection broke or stalled after the stream had started.
        return report_failure(f"the stream was interrupted: {err!r}", received)

    print("\n")
    print(f"stop reason:   {message.stop_reason}")
    print(f"input tokens:  {message.usage.input_tokens}")
    print(f"output tokens: {message.usage.output_tokens}")
    if message.stop_reason == "max_tokens":
        print("The answer hit max_tokens and is cut short: raise max_tokens.")
    return 0


def report_failure(reason: str, received: list[str]) -> int:
    partial = "".join(received)
    print(f"\n\nStream failed: {reason}", file=sys.stderr)
    if partial:
        print(f"Kept the {len(partial)} characters received before the failure.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
