"""Python-Markdown extensions for the pages; each module is one, listed in mkdocs.yml.

Each rewrites the page's Markdown in a preprocessor that runs before
pymdownx.snippets (priority 32) and before raw HTML is set aside (20), so it sees
what the MkDocs hooks it replaces saw: the page as written, includes unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown import Markdown
from markdown.preprocessors import Preprocessor

# Above pymdownx.snippets (32): a page's own shortcodes, not an included file's.
PRIORITY = 40


def page_path(md: Markdown) -> str:
    """`docs/PAGE.md: ` when the generator says which page this is (Zensical does), else ``.

    MkDocs tells no extension the page, but names it itself when one raises
    ("Error reading page 'PAGE.md'").
    """
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        path = getattr(page, "path", None)
        if isinstance(path, str) and path:
            return f"docs/{path}: "
    return ""


class Substitution(Preprocessor):
    """Replace every match of `pattern` in the page's text with `expand(match, where)`."""

    def __init__(self, md: Markdown, pattern: re.Pattern, expand: Callable[[re.Match, str], str]):
        super().__init__(md)
        self.pattern = pattern
        self.expand = expand

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--" not in text:
            return lines
        where = page_path(self.md)
        return self.pattern.sub(lambda match: self.expand(match, where), text).split("\n")
