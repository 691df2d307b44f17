"""Stream an answer to the terminal and say how it ended.

Usage:
    export ANTHROPIC_API_KEY=...   # from the Claude Console, never in code
    python reply.py
"""

import sys

import anthropic

MODEL = "claude-sonnet-5-5"


def reply(client: anthropic.Anthropic, prompt: str) -> bool:
    """Print the answer to `prompt` as it arrives, then how it ended.

    True when the whole answer arrived. When it broke off, a line says
    why, the text shown so far stays, and the result is False.
    """
    message = None  # the whole answer, once message_stop arrives
    try:
        with client.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": prompt}],
        ) as stream:
            for event in stream:
                if event.type == "text":
                    print(event.text, end="", flush=True)
                elif event.type == "message_stop":
                    message = event.message
    except anthropic.APIError as err:
        if message is None:  # after message_stop the answer is whole
            print(f"\n[interrupted: {type(err).__name__}: {err}]")
            return False
    if message is None:  # the body ended early: the SDK raised nothing
        print("\n[interrupted: the stream ended before message_stop]")
        return False
    print(f"\n[stop_reason: {message.stop_reason}]")
    return True


if __name__ == "__main__":
    whole = reply(anthropic.Anthropic(), "Write a haiku about the sea.")
    sys.exit(0 if whole else 1)
