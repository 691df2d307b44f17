"""Imported once by the worker pool's fork server (pool.PRELOAD): every lazy import and
model the SDK builds on a stream's first events happens here, once, instead of in each
worker's first run. A first run that pays for them is slow enough, on a loaded machine,
to read past a stall it should notice."""

from __future__ import annotations

import asyncio

import anthropic

from streamdocs import sdk_internals
from streamdocs.emulator.canned import (
    REQUEST,
    START,
    Body,
    async_client_serving,
    client_serving,
    end,
    sse,
    text_block,
)

_BODY = sse(START, *text_block(0, "warm", " up"), *end())


def _sync() -> None:
    with client_serving(Body([_BODY])).messages.stream(**REQUEST) as stream:
        stream.get_final_message()
    for _ in client_serving(Body([_BODY])).messages.create(**REQUEST, stream=True):
        pass


async def _async() -> None:
    async with async_client_serving(Body([_BODY])).messages.stream(**REQUEST) as stream:
        await stream.get_final_message()


_sync()
asyncio.run(_async())
# The CA bundle, loaded once for every fork (sdk_internals.fast shares this context), and
# the real transports' own imports.
sdk_internals.shared_tls_context()
anthropic.Anthropic(api_key="sk-ant-warm").close()
asyncio.run(anthropic.AsyncAnthropic(api_key="sk-ant-warm").close())
