"""What the pages say the SDK does, tried against the installed SDK.

Each test pins one behavioural claim: it makes the SDK do the thing (through canned
answers, `streamdocs.emulator.canned`, no network) and checks the page still says it.
When an SDK bump changes the behaviour, the test names the page to fix.
"""

from streamdocs.paths import DOCS


def page_text(page: str) -> str:
    """A page's Markdown with its line breaks folded, so a phrase may wrap."""
    return " ".join((DOCS / page).read_text(encoding="utf-8").split())


def says(page: str, *phrases: str) -> None:
    text = page_text(page)
    missing = [phrase for phrase in phrases if " ".join(phrase.split()) not in text]
    assert not missing, f"docs/{page} no longer says: {missing}"


def never_says(page: str, *phrases: str) -> None:
    text = page_text(page)
    found = [phrase for phrase in phrases if " ".join(phrase.split()) in text]
    assert not found, f"docs/{page} says {found}, which the SDK contradicts"
