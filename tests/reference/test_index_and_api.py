"""docs/reference/index.md says what is checked; the API pages flag the SDK docstrings the
site contradicts."""

from __future__ import annotations

import inspect
from pathlib import Path

from streamdocs.paths import rel
from streamdocs.sdk_types import resolve
from streamdocs.site.tables import column, read_table
from tests.reference.common import API_PAGES, REFERENCE, RENDERED

# --- index.md: what is checked --------------------------------------------------------------------

INDEX_PAGE = REFERENCE / "index.md"

# The columns the tests above compare with the SDK, per (page, table). A column not named
# here is written by hand. `partly` marks a column of which the tests check one claim only.
CHECKED: dict[tuple[str, str], dict[str, str]] = {
    ("request-parameters.md", "Body fields"): {"Parameter": "", "Required": "", "Type": ""},
    ("request-parameters.md", "Arguments only the SDK takes"): {"Argument": "", "Type": ""},
    ("events.md", "Wire events"): {"Event": "", "Payload": "partly: `message_stop`"},
    ("events.md", "Delta types"): {"Delta type": "", "Field": "", "Helper event": ""},
    ("events.md", "Content block types"): {"Block type": ""},
    ("events.md", "Stop reasons"): {"Stop reason": "", "The SDK says": ""},
    ("events.md", "Helper events"): {"Event": "", "Fields": ""},
    ("helpers.md", "Members"): {
        "Member": "",
        "Kind": "",
        "`MessageStream`": "",
        "`AsyncMessageStream`": "",
        "What it does": "partly: the exceptions it names",
    },
    ("exceptions.md", "Exception classes"): {
        "Class": "",
        "Parent": "the direct base",
        "Status": "",
        "When a stream raises it": 'partly: "after retries"',
    },
    ("exceptions.md", "Error-code subclasses"): {
        "Class": "",
        "Parent": "the direct base",
        "Status": "",
        "`error_code`": "",
    },
    ("exceptions.md", "Deprecated aliases"): {"Alias": "", "Same class as": ""},
    ("typescript.md", "Events"): {"Event": "", "Listener arguments": ""},
    ("typescript.md", "Members"): {"Member": "", "Kind": ""},
    ("answer-matrix.md", "Every way a stream can break"): {
        "Sample": "",
        "Cuts": "a live run",
        "Stalls": "a live run",
        "Models": "a live run",
        "Credentials": "a live run",
    },
    ("exceptions.md", "During the stream"): {
        "How you read the stream": "",
        "The connection drops": "a live run",
        "Nothing arrives for longer than the read timeout": "a live run",
    },
}


def _listed(cell: str) -> list[str]:
    """`A, B (partly: x), C` -> ["A", "B (partly: x)", "C"]: split on commas outside ()."""
    parts, part, depth = [], "", 0
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(part.strip())
            part = ""
        else:
            part += char
    return [p for p in [*parts, part.strip()] if p]


def _spelled(column_name: str, note: str) -> str:
    return f"{column_name} ({note})" if note else column_name


def test_the_index_says_which_columns_are_checked():
    """Every table on a reference page is listed, its checked and hand-written columns exact."""
    table = read_table(INDEX_PAGE, "What is checked")
    page, heading = column(table, "Page"), column(table, "Table")
    checked, by_hand = column(table, "Checked against the SDK"), column(table, "Written by hand")
    listed = {(row[page], row[heading]): row for row in table.rows}
    on_pages = {
        (path.name, line[3:].strip())
        for path in sorted(REFERENCE.glob("*.md"))
        if path != INDEX_PAGE
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ") and _has_table(path, line[3:].strip())
    }
    problems = [
        f"{rel(INDEX_PAGE)}: 'What is checked' lacks {key}" for key in on_pages - set(listed)
    ]
    problems += [
        f"{rel(INDEX_PAGE)}: 'What is checked' lists {key}, not a table"
        for key in set(listed) - on_pages
    ]
    assert set(CHECKED) == on_pages, (
        f"tests/reference/test_index_and_api.py CHECKED differs from the tables on the pages: "
        f"{sorted(set(CHECKED) ^ on_pages)}"
    )
    for key in sorted(on_pages & set(listed)):
        header = read_table(REFERENCE / key[0], key[1]).header
        expected = [_spelled(c, CHECKED[key][c]) for c in header if c in CHECKED[key]]
        hand = [c for c in header if c not in CHECKED[key]]
        row = listed[key]
        if _listed(row[checked]) != expected:
            problems.append(
                f"{rel(INDEX_PAGE)}: {key} Checked is {row[checked]!r}, "
                f"should be {', '.join(expected)!r}"
            )
        if _listed(row[by_hand]) != hand:
            problems.append(
                f"{rel(INDEX_PAGE)}: {key} Written by hand is {row[by_hand]!r}, "
                f"should be {', '.join(hand)!r}"
            )
    assert not problems, "\n".join(problems)


def _has_table(page: Path, heading: str) -> bool:
    try:
        read_table(page, heading)
    except AssertionError:
        return False
    return True


# --- api/*.md: SDK docstrings the site contradicts ---------------------------------------------

# A sentence of an SDK docstring this site knows to be wrong or incomplete -> the member it is
# on, as the warning names it. Each API page that renders the member (its class's source holds
# the sentence) must say so beside it, in a warning titled as below; when the SDK drops the
# sentence, the warning must go too.
WRONG_DOCSTRINGS = {
    "Currently the API will only respond with a single content block": "get_final_text()",
    # the snapshot is the current block's, restarting at each block (tests/sdk_claims/test_events)
    "The entire accumulated text": "TextEvent.snapshot",
    "All of the accumulated citations": "CitationEvent.snapshot",
    # an `error` event in a 200 stream raises it too (tests/sdk_claims/test_mid_stream_errors)
    "Raised when an API response has a status code of 4xx or 5xx": "APIStatusError",
    # per thinking block, like TextEvent's (truth read 4, D5: tests/sdk_claims)
    "The accumulated thinking so far": "ThinkingEvent.snapshot",
    # a `user_oauth` profile's refresh raises it too (truth read 4, D3: tests/sdk_claims)
    "Raised when the OIDC token exchange (`POST /v1/oauth/token`) fails": "WorkloadIdentityError",
}


def _warning(member: str) -> str:
    return f'!!! warning "`{member}`: the docstring above is wrong or incomplete"'


def _source(obj) -> str:
    try:
        return " ".join(inspect.getsource(obj).split())
    except (OSError, TypeError):
        return " ".join((getattr(obj, "__doc__", None) or "").split())  # its own, not inherited


def test_wrong_sdk_docstrings_are_flagged_beside_them():
    problems = []
    for page in sorted(API_PAGES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        sources = {dotted: _source(resolve(dotted)) for dotted in RENDERED.findall(text)}
        for sentence, member in WRONG_DOCSTRINGS.items():
            holders = [d for d, source in sources.items() if " ".join(sentence.split()) in source]
            flagged = _warning(member) in text
            if holders and not flagged:
                problems.append(
                    f"{rel(page)} renders {holders[0]}, whose docstring of {member} says "
                    f"{sentence!r}; add `{_warning(member)}` beside it"
                )
            if flagged and not holders:
                problems.append(
                    f"{rel(page)} flags {member}, but no docstring it renders says {sentence!r} "
                    "any more: remove the warning and the WRONG_DOCSTRINGS entry"
                )
    assert not problems, "\n".join(problems)
