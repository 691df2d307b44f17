"""Truth read 4, D4: the API pages render each stream member as the kind helpers.md gives
it (property or method), or carry a warning beside it. Griffe renders
`MessageStream.text_stream`, a `functools.cached_property` under the SDK's own alias, as a
method, `text_stream() -> Iterator[str]`; called that way it raises TypeError."""

from __future__ import annotations

import re

from streamdocs.paths import rel
from streamdocs.site.tables import column, name_of, read_table
from tests.reference.common import API_PAGES, REFERENCE

RENDERED = re.compile(
    r'<div class="doc doc-object doc-(?P<kind>function|attribute)">\s*'
    r'<h4 id="anthropic\.lib\.streaming\.(?P<cls>\w*MessageStream)\.(?P<member>\w+)"'
)
KINDS = {"function": "method", "attribute": "property"}


def _warning(member: str) -> str:
    return f'!!! warning "`{member}`: shown above as a method, it is a property"'


def test_each_member_is_rendered_as_its_kind_or_flagged(built_site):
    table = read_table(REFERENCE / "helpers.md", "Members")
    name, kind = column(table, "Member"), column(table, "Kind")
    kinds = {name_of(row[name]): row[kind] for row in table.rows}
    problems, seen = [], set()
    for page in ("streaming", "async-streaming"):
        source = (API_PAGES / f"{page}.md").read_text(encoding="utf-8")
        html = (built_site / "reference" / "api" / page / "index.html").read_text("utf-8")
        for found in RENDERED.finditer(html):
            member, shown = found["member"], KINDS[found["kind"]]
            seen.add(member)
            wrong = kinds.get(member) == "property" and shown == "method"
            if wrong and _warning(member) not in source:
                problems.append(
                    f"docs/reference/api/{page}.md renders {found['cls']}.{member} as a method; "
                    f"helpers.md says property: add `{_warning(member)}` beside it"
                )
            if not wrong and _warning(member) in source:
                problems.append(
                    f"docs/reference/api/{page}.md flags {member}, now rendered as a {shown}: "
                    "remove the warning"
                )
    assert "text_stream" in seen and "current_message_snapshot" in seen, sorted(seen)
    assert not problems, "\n".join(problems) + f"\n(kinds from {rel(REFERENCE / 'helpers.md')})"


def test_text_stream_is_a_property_and_calling_it_raises_type_error():
    """What the warning says: read it, don't call it."""
    import functools

    import pytest
    from anthropic import _compat
    from anthropic.lib.streaming import MessageStream

    from streamdocs.emulator.canned import REQUEST, START, Body, client_serving, end, sse
    from tests.sdk_claims import says

    assert _compat.cached_property is functools.cached_property
    assert isinstance(vars(MessageStream)["text_stream"], functools.cached_property)
    with client_serving(Body([sse(START, *end())])).messages.stream(**REQUEST) as stream:
        with pytest.raises(TypeError, match="'generator' object is not callable"):
            stream.text_stream()
    says("reference/api/streaming.md", "`TypeError: 'generator' object is not callable`")
