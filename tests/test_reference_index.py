"""Truth read 4, D16: the reference index says which SDK each table is compared with; the
TypeScript table is checked against @anthropic-ai/sdk's type definitions, not `anthropic`."""

from __future__ import annotations

from tests.sdk_claims import never_says, page_text, says


def test_the_index_names_both_sdks_the_tables_are_compared_with():
    assert "(typescript.md)" in page_text("reference/index.md")
    never_says("reference/index.md", "Each one is compared with the pinned `anthropic` SDK")
    says(
        "reference/index.md",
        "Each one is compared with the pinned SDK it describes (`anthropic`, or "
        "`@anthropic-ai/sdk` for the TypeScript helpers)",
    )
