"""What the two relays do when set up wrong, when pings keep a stalled answer alive, and
when Redis stops answering (truth read 4, reader C)."""

from __future__ import annotations

import runpy

import pytest

from streamdocs import demo, environment
from streamdocs.paths import SNIPPETS
from tests.sdk_claims import says

RELAYS = ["relay_app.py", "relay_resumable.py"]

# --- C1: an entry without a token must not open the relay to anyone ------------------------

BAD_TOKENS = {
    "empty token": "alice:",
    "a second user without one": "alice:a-token,bob:",
    "trailing comma": "alice:a-token,",
    "no user": ":a-token",
    "no colon": "alice",
}


@pytest.mark.parametrize("tokens", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
@pytest.mark.parametrize("relay", RELAYS)
def test_an_entry_without_a_user_or_token_stops_the_start(relay, tokens):
    """With `alice:` the relay used to start, and a request with no Authorization header
    matched alice's empty token: an open proxy on your key."""
    with environment.isolated(
        ANTHROPIC_API_KEY=demo.KEY, RELAY_TOKENS=tokens, REDIS_URL="redis://127.0.0.1:9"
    ):
        with pytest.raises(SystemExit) as stopped:
            runpy.run_path(str(SNIPPETS / relay), run_name=relay.removesuffix(".py"))
    assert "RELAY_TOKENS" in str(stopped.value), stopped.value
    says("guides/browser.md", "An entry without a token stops the start")


# --- C9: the resumable relay's "600 s" and "30 s" are by the clock ----------------------------

TRY = 0.3  # the socket timeouts of these runs (the sample's: 2 s to connect, 5 s to read)
KEEP, PATIENCE = 4, 2  # the sample's 600 s and 30 s, scaled down


@pytest.fixture
def hung_redis():
    """A Redis that accepts connections and never answers (a hung server, or a path that
    drops packets after the connection was made): each try ends in a timeout."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(
        target=lambda: [held.append(server.accept()) for _ in iter(int, 1)], daemon=True
    ).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def resumable_relay(redis_url: str) -> dict:
    """The sample's module, its store's timeouts shortened to TRY and its KEEP and PATIENCE
    scaled down; its store keeps the sample's retry policy."""
    from redis.asyncio import Redis

    with environment.isolated(
        ANTHROPIC_API_KEY=demo.KEY, RELAY_TOKENS=demo.TOKENS, REDIS_URL=redis_url
    ):
        module = runpy.run_path(str(SNIPPETS / "relay_resumable.py"), run_name="relay")
    names = module["Answer"].finish.__globals__  # the dict the sample's code reads
    retry = names["store"].get_retry()
    names["store"] = Redis.from_url(
        redis_url,
        decode_responses=True,
        socket_connect_timeout=TRY,
        socket_timeout=TRY,
        retry=retry,
    )
    names.update(KEEP=KEEP, PATIENCE=PATIENCE)
    return names


class StaysConnected:
    async def is_disconnected(self) -> bool:
        return False


def one_try_seconds(names) -> float:
    """How long one Redis command takes against the hung server, retries included."""
    import asyncio
    import time

    from redis import RedisError

    async def measure() -> float:
        start = time.monotonic()
        with pytest.raises(RedisError):
            await names["store"].ping()
        return time.monotonic() - start

    return asyncio.run(measure())


def test_held_events_are_kept_for_keep_seconds_not_keep_tries(hung_redis):
    import asyncio
    import time

    names = resumable_relay(hung_redis)
    one_try = one_try_seconds(names)
    answer = names["Answer"]("demo", "a" * 16)
    answer.pending.append(("1-1", {"event": "text", "data": "{}"}))

    async def finish() -> float:
        start = time.monotonic()
        await answer.finish()
        return time.monotonic() - start

    took = asyncio.run(finish())
    # the last try may start just before KEEP runs out; then one more command (zrem)
    bound = KEEP + 1 + 3 * one_try + 0.5
    assert took < bound, (
        f"finish() tried for {took:.1f} s with KEEP={KEEP} (one try: {one_try:.1f} s): it "
        "counts tries, not seconds, and a Redis that does not answer makes it run for hours"
    )
    assert answer.pending, "nothing could have been stored"


def test_a_reader_gives_up_after_patience_seconds_not_thirty_tries(hung_redis):
    import asyncio
    import time

    names = resumable_relay(hung_redis)
    one_try = one_try_seconds(names)
    answer = names["Answer"]("demo", "a" * 16)
    bound = PATIENCE + 1 + 2 * one_try + 0.5

    async def first_event() -> tuple[str, float]:
        start = time.monotonic()
        events = answer.events("0", StaysConnected())
        event = await asyncio.wait_for(anext(events), timeout=bound + 5)
        return event, time.monotonic() - start

    event, took = asyncio.run(first_event())
    assert "unavailable" in event, event
    assert took < bound, (
        f"the reader gave up after {took:.1f} s with PATIENCE={PATIENCE} "
        f"(one try: {one_try:.1f} s): it counts tries, not seconds"
    )
    says("guides/browser-resumable.md", "by the clock")


# --- C5: a stall that pings keep alive is not caught by the relay's read timeout ------------


@pytest.mark.parametrize(
    ("stall", "caught"), [("stall", True), ("stall_with_pings", False)], ids=["silent", "pings"]
)
def test_the_relays_read_timeout_catches_a_silent_stall_only(stall, caught):
    """The emulator's stalls last 2 s after the first words; the relay's 60 s read timeout
    is scaled to 0.5 s. Silent: the page gets an error event. With a ping every 0.2 s: the
    relay waits the stall out and the page gets nothing until the answer goes on."""
    import anthropic
    from starlette.testclient import TestClient

    from streamdocs.emulator import Emulator

    with Emulator() as emulator, demo.api_env(emulator.url):
        module = demo.relay_app_module()
        names = module["relay"].__globals__
        names["client"] = anthropic.AsyncAnthropic(timeout=anthropic.Timeout(0.5, connect=5))
        with emulator.answering(stall):
            with TestClient(module["app"]) as client:
                body = client.post(
                    "/chat",
                    json={"message": "Write a haiku about the sea."},
                    headers={"Authorization": f"Bearer {demo.TOKEN}"},
                ).text
    assert ("event: error" in body) is caught, body
    assert ("event: done" in body) is not caught, body
    says("guides/browser.md", "A stall in which pings still come is not noticed")
    says("guides/browser.md", "pings keep that timeout from firing")
    says("guides/browser-resumable.md", "unless pings keep the stall alive")
