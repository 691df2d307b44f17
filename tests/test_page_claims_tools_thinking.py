"""Truth read 4, reader B: claims of the tool-use, thinking and web-search pages that
neither the SDK nor a recorded answer can settle: what Anthropic documents about the
samples' model, which models refuse a setting the samples send, and what no page states.
Each test also checks the emulator still behaves as the page says it does."""

from __future__ import annotations

import re

from streamdocs.emulator import models
from streamdocs.emulator.scenarios import load_scenarios
from streamdocs.paths import CASSETTES, SNIPPETS
from tests.sdk_claims import never_says, says

THINKING = ("thinking", "redacted_thinking")


def test_notes_between_tool_calls_are_thinking_blocks_on_the_samples_model():
    """B1: Anthropic's what's-new page for Claude Sonnet 5.5: text between tool calls comes
    back in thinking blocks (empty at the default display), so a loop that prints only text
    goes quiet; the emulator answers with thinking first only, and the page says so."""
    for name, scenario in load_scenarios().items():
        for reply in scenario.replies:
            kinds = [block["type"] for block in reply.content]
            first = next((i for i, k in enumerate(kinds) if k not in THINKING), len(kinds))
            later = kinds[first:]
            assert not set(later) & set(THINKING), (
                f"scenario {name} puts a thinking block after {kinds[0]}: the emulator now "
                "answers with notes between calls; revise docs/guides/tool-use.md"
            )
    assert "text_stream" in (SNIPPETS / "tool_loop.py").read_text(encoding="utf-8")
    assert models.facts("claude-sonnet-5-5").display_default == "omitted"
    says(
        "guides/tool-use.md",
        "notes between calls are thinking blocks",
        "platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5",
        "The project's emulator never answers that way",
    )
    says("guides/thinking.md", "the notes the model writes between tool calls come back as")


def test_the_page_names_every_listed_model_that_refuses_adaptive_thinking():
    """B5: the thinking tool loop sends {"type": "adaptive"}; the models table (Anthropic's
    thinking troubleshooting page) says which ids answer that with 400, and what they take."""
    source = (SNIPPETS / "thinking_tool_loop.py").read_text(encoding="utf-8")
    assert '"type": "adaptive"' in source
    refusing = [entry for entry in models.table().models if "adaptive" not in entry.thinking_types]
    assert refusing, "every listed model takes adaptive now: drop the sentence in thinking.md"
    assert all("enabled" in entry.thinking_types for entry in refusing)
    says(
        "guides/thinking.md",
        *(entry.name for entry in refusing),
        f'("{models.THINKING_REJECTED["adaptive"]}")',
        '`{"type": "enabled", "budget_tokens": N}` instead',
    )


def test_the_order_of_citations_and_text_in_a_block_is_not_promised():
    """B6: no Anthropic page states it; the page says what the emulator sends."""
    body = (CASSETTES / "web_search_citations.yaml").read_text(encoding="utf-8")
    kinds = re.findall(r'"index":(\d+),"delta":\{"type":"(citations_delta|text_delta)"', body)
    cited = {index for index, kind in kinds if kind == "citations_delta"}
    assert cited
    for index in cited:
        in_block = [kind for i, kind in kinds if i == index]
        assert in_block[0] == "citations_delta", "the emulator no longer sends citations first"
    page = "guides/web-search.md"
    never_says(page, "its `citations_delta` events ahead of its `text_delta` events")
    says(page, "no Anthropic page says (the emulator sends the citations first)")
