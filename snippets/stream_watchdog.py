"""Give up on a stream that stops making progress: a watchdog that resets
on every event, so keep-alive pings alone do not keep you waiting, except
while the model thinks without sending its thoughts.

Usage: python stream_watchdog.py [SECONDS]
"""

import asyncio
import sys

import anthropic

# the longest wait for the next event (a read timeout, by contrast, is
# reset by any bytes at all, pings included)
IDLE = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
THINKING = ("thinking", "redacted_thinking")


async def main() -> int:
    # While a thinking block with omitted thoughts is open, no event may
    # come for long (no document says how long): only bytes, pings, show
    # that the connection lives. The read timeout is that check.
    timeout = anthropic.Timeout(600.0, read=120.0, connect=5.0)
    async with anthropic.AsyncAnthropic(timeout=timeout) as client:
        async with client.messages.stream(
            model="claude-sonnet-5-5",
            max_tokens=1024,
            messages=[
                {"role": "user", "content": "Write a haiku about the sea."}
            ],
        ) as stream:
            loop = asyncio.get_running_loop()
            thinking = False
            try:
                async with asyncio.timeout(IDLE) as watchdog:
                    async for event in stream:  # pings never arrive here
                        if event.type == "content_block_start":
                            thinking = event.content_block.type in THINKING
                        elif event.type == "content_block_stop":
                            thinking = False
                        elif event.type == "text":
                            print(event.text, end="", flush=True)
                        # None: no deadline while the model thinks
                        watchdog.reschedule(
                            None if thinking else loop.time() + IDLE
                        )
            except TimeoutError:
                print(
                    f"\n[no event for {IDLE:g} s: gave up]", file=sys.stderr
                )
                return 1
            except anthropic.APITimeoutError:
                print("\n[no bytes for 120 s: gave up]", file=sys.stderr)
                return 1
            message = await stream.get_final_message()
    print(f"\n\nstop_reason: {message.stop_reason}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
