"""Cancel a streaming task from outside, as a Stop button does: the
cancellation leaves the `async with` block, which closes the response."""

import asyncio
import sys

import anthropic

STOP_AFTER = 200  # characters; a stand-in for the reader pressing Stop


async def tell(
    client: anthropic.AsyncAnthropic, shown: list[str]
) -> str | None:
    async with client.messages.stream(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        messages=[
            {"role": "user", "content": "Tell me a story about a robot."}
        ],
    ) as stream:
        async for text in stream.text_stream:
            shown.append(text)
            print(text, end="", flush=True)
        message = await stream.get_final_message()
    return message.stop_reason


async def main() -> int:
    async with anthropic.AsyncAnthropic() as client:
        shown: list[str] = []
        task = asyncio.create_task(tell(client, shown))
        while not task.done() and len("".join(shown)) < STOP_AFTER:
            await asyncio.sleep(0.01)
        task.cancel()
        try:
            stop_reason = await task
        except asyncio.CancelledError:
            print(f"\n[stopped after {len(''.join(shown))} characters]")
            return 0
    if stop_reason is None:  # no message_delta: the body ended early
        print("\nThe stream ended early: the answer is incomplete.")
        return 1
    print(f"\n[the answer ended first: stop_reason {stop_reason}]")
    return 0


sys.exit(asyncio.run(main()))
