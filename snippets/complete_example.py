"""Stream a response end to end: live output, summary, and clean failures.

Usage:
    export ANTHROPIC_API_KEY=...   # from the Claude Console, never in code
    python complete_example.py
"""

import sys

import anthropic

MODEL = "claude-sonnet-5-5"
PROMPT = "Write a short poem about a developer who finally fixed a bug."


def main() -> int:
    received: list[str] = []  # all text printed, kept if the stream fails
    message = None

    try:
        client = anthropic.Anthropic()
        with client.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": PROMPT}],
        ) as stream:
            for event in stream:
                if event.type == "text":
                    received.append(event.text)
                    print(event.text, end="", flush=True)
                elif event.type == "message_stop":
                    message = event.message  # the whole answer arrived
    except TypeError as err:
        # The SDK found no key, token or profile to authenticate with.
        if "authentication" not in str(err):
            raise
        return fail(
            "no credentials: set ANTHROPIC_API_KEY (Claude Console)",
            received,
        )
    except (
        anthropic.CredentialsError,
        anthropic.WorkloadIdentityError,
    ) as err:
        # A profile, credentials or identity token that cannot be used.
        return fail(f"credentials: {err}", received)
    except anthropic.APIStatusError as err:
        # An HTTP error before the stream, or an `error` event inside it.
        return fail(
            f"{err.type}: {err.api_message} (request id {err.request_id})",
            received,
        )
    except anthropic.APIConnectionError as err:
        # No response even after the SDK's retries, or the connection
        # broke or stalled mid-stream (APITimeoutError is a subclass).
        if message is None:  # after message_stop, the answer is whole
            return fail(str(err), received)
    except UnicodeDecodeError:
        # The body ended cleanly inside a character: the SDK raises this
        # one as it is, unwrapped.
        if message is None:
            return fail("the stream ended inside a character", received)

    if message is None:
        # The body ended without message_stop (a proxy closed it): the SDK
        # raised nothing.
        return fail(
            "the stream ended early, before the answer was complete",
            received,
        )

    print("\n")
    print(f"stop reason:   {message.stop_reason}")
    print(f"input tokens:  {message.usage.input_tokens}")
    print(f"output tokens: {message.usage.output_tokens}")
    if message.stop_reason != "end_turn":
        print(
            f"The answer did not end normally ({message.stop_reason}): "
            "see the docs."
        )
    return 0


def fail(reason: str, received: list[str]) -> int:
    """Say what failed in one line; the text printed so far stays."""
    kept = len("".join(received))
    if kept:
        reason += f"; kept the {kept} characters above"
        print("\n")
    print(f"Stream failed: {reason}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
