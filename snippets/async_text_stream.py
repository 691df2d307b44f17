"""Stream text with the asyncio client."""

import asyncio

import anthropic


async def main() -> None:
    # `async with` closes the connections while the event loop still runs
    async with anthropic.AsyncAnthropic() as client:
        async with client.messages.stream(
            model="claude-sonnet-5-5",
            max_tokens=1024,
            messages=[
                {
                    "role": "user",
                    "content": "Tell me a short story about a robot.",
                }
            ],
        ) as stream:
            async for text in stream.text_stream:
                print(text, end="", flush=True)
            message = await stream.get_final_message()

    print(
        f"\n\nstop_reason={message.stop_reason} "
        f"output_tokens={message.usage.output_tokens}"
    )


if __name__ == "__main__":
    asyncio.run(main())
