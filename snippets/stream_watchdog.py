"""Give up on a stream that stops making progress: a watchdog that resets
on every event, so keep-alive pings alone do not keep you waiting.

Usage: python stream_watchdog.py [SECONDS]
"""

import asyncio
import sys

import anthropic

# the longest wait for the next event (a read timeout, by contrast, is
# reset by any bytes at all, pings included)
IDLE = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
PROMPT = "Write a haiku about the sea."


async def main() -> int:
    async with anthropic.AsyncAnthropic() as client:
        async with client.messages.stream(
            model="claude-sonnet-5-5",
            max_tokens=1024,
            messages=[
                {"role": "user", "content": "Write a haiku about the sea."}
            ],
        ) as stream:
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(IDLE) as watchdog:
                    async for event in stream:  # pings never arrive here
                        watchdog.reschedule(loop.time() + IDLE)
                        if event.type == "text":
                            print(event.text, end="", flush=True)
            except TimeoutError:
                print(
                    f"\n[no event for {IDLE:g} s: gave up]", file=sys.stderr
                )
                return 1
            message = await stream.get_final_message()
    print(f"\n\nstop_reason: {message.stop_reason}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
