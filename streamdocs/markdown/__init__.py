"""Python-Markdown extensions for the pages; each module is one, listed in mkdocs.yml.

Each rewrites the page's Markdown in a preprocessor that runs before
pymdownx.snippets (priority 32) and before raw HTML is set aside (20), so it sees
the page as written, includes unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# Above pymdownx.snippets (32): a page's own shortcodes, not an included file's.
PRIORITY = 40


def _page_file(md: Markdown) -> tuple[str, str | None]:
    """(path under docs/, absolute source path) of the page being rendered, if known.

    Zensical hands its preprocessors the page; MkDocs registers, per page, a tree
    processor (`relpath`) that holds the page's file.
    """
    for processor in [*md.preprocessors, *md.treeprocessors]:
        page = getattr(processor, "page", None)
        if isinstance(getattr(page, "path", None), str) and page.path:
            return page.path, getattr(page, "abs_src_path", None)
        file = getattr(processor, "file", None)
        if isinstance(getattr(file, "src_uri", None), str):
            return file.src_uri, getattr(file, "abs_src_path", None)
    return "", None


def page_path(md: Markdown) -> str:
    """`docs/PAGE.md: ` when the generator says which page this is, else ``."""
    path, _ = _page_file(md)
    return f"docs/{path}: " if path else ""


def front_matter_lines(md: Markdown, body: list[str]) -> int:
    """How many lines the generator cut from the top of the page (its front matter), so
    that a line of `body` can be named by its line in the file the writer edits."""
    path, source = _page_file(md)
    # Zensical names the page under docs/ only; builds run at the repository root.
    source = source or (path and str(Path.cwd() / "docs" / path))
    if not source or not Path(source).is_file():
        return 0
    total = len(Path(source).read_text(encoding="utf-8-sig").split("\n"))
    return max(total - len(body), 0)


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


class Placeholders:
    """`<!-- PREFIX:NAME -->` in a page becomes `values[NAME]()` at build time; an unknown
    NAME fails the build, naming it and the known ones."""

    def __init__(self, prefix: str, values: dict[str, Callable[[], str]]):
        self.prefix = prefix
        self.values = values
        self.pattern = re.compile(rf"<!-- {prefix}:(?P<name>[\w-]+) -->")

    def fill(self, markdown: str, where: str = "") -> str:
        """The text with every placeholder filled; `where` ("docs/page.md: ") prefixes an
        error."""
        from streamdocs import BuildError

        def value(match: re.Match) -> str:
            name = match["name"]
            if name not in self.values:
                known = ", ".join(self.values)
                raise BuildError(
                    f"{where}unknown placeholder `{self.prefix}:{name}` (known: {known})"
                )
            return self.values[name]()

        return self.pattern.sub(value, markdown)

    def extension(self, **kwargs) -> Extension:
        placeholders = self

        class PlaceholderExtension(Extension):
            def extendMarkdown(self, md: Markdown) -> None:
                fill = Substitution(
                    md, placeholders.pattern, lambda m, w: placeholders.fill(m[0], w)
                )
                md.preprocessors.register(fill, f"streamdocs_{placeholders.prefix}", PRIORITY)

        return PlaceholderExtension(**kwargs)
