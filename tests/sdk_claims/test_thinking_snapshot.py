"""Truth read 4, D5: ThinkingEvent.snapshot is its own block's thinking, like TextEvent's
(T17); the SDK's docstring "The accumulated thinking so far" does not say so."""

from __future__ import annotations

from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, end, sse, text_block
from tests.sdk_claims import never_says, says


def _thinking_block(index: int, thought: str) -> list[dict]:
    block = {"type": "thinking", "thinking": "", "signature": ""}
    delta = {"type": "thinking_delta", "thinking": thought}
    return [
        {"type": "content_block_start", "index": index, "content_block": block},
        {"type": "content_block_delta", "index": index, "delta": delta},
        {"type": "content_block_delta", "index": index, "delta": {"type": "signature_delta",
                                                                     "signature": "sig"}},
        {"type": "content_block_stop", "index": index},
    ]  # fmt: skip


def test_each_thinking_block_starts_its_snapshot_again():
    events = [START, *_thinking_block(0, "first"), *_thinking_block(1, "second"),
              *text_block(2, "answer"), *end()]  # fmt: skip
    with client_serving(Body([sse(*events)])).messages.stream(**REQUEST) as stream:
        snapshots = [event.snapshot for event in stream if event.type == "thinking"]
    assert snapshots == ["first", "second"]
    never_says("reference/events.md", "`snapshot` (the thinking so far)")
    says("reference/events.md", "`snapshot` (the block's thinking so far)")
    says(
        "reference/api/helper-events.md",
        "`snapshot` is the thinking of the current `thinking` block so far",
    )
