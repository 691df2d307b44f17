"""Static checks over the pages, snippets and cassettes: the writer mistakes a build misses.

Each check returns one message per problem, naming the file (and line) and saying
the fix, so a test can print them as they are. Every check takes the project root,
so tests can run it on a scratch copy.

Fenced blocks are found by a CommonMark parser (markdown-it-py), not a regex. Content
tabs (`=== "Tab"`) and admonitions (`!!! note`, `??? note`) indent their body by four
spaces, which CommonMark reads as an indented code block or a paragraph; their bodies
are dedented first (line numbers kept), and the page parsed again until none is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from streamdocs.markdown import shortcodes
from streamdocs.paths import is_project_file, snippet_files

# pymdownx.snippets: `--8<-- "file"` on its own line; a leading `;` escapes it.
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
INCLUDE_BLOCK_EDGE = re.compile(r"^\s*-{1,}8<-{1,}\s*$")
CONTAINER = re.compile(r"^(?P<indent> {0,3})(?:===\+?|!!!|\?\?\?\+?)(?:[ \t]|$)")
_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence (or first line of an indented block)
    fenced: bool
    info: str
    content: str
    marked: bool  # `<!-- md:not-runnable -->` on the line right before

    @property
    def includes(self) -> list[str]:
        return includes_in(self.content)

    @property
    def only_includes(self) -> bool:
        """Nothing but snippet includes: what the reader sees is a tested file."""
        in_block, names = False, 0
        for line in self.content.splitlines():
            if INCLUDE.match(line):
                names += 1
            elif INCLUDE_BLOCK_EDGE.match(line):
                in_block = not in_block
            elif in_block and line.strip():
                names += 1
            elif line.strip():
                return False
        return names > 0


def includes_in(text: str) -> list[str]:
    """Every file a text includes, as written (`name.py`, `name.py:part`, `output/x.txt`)."""
    found, in_block = [], False
    for line in text.splitlines():
        if match := INCLUDE.match(line):
            found.append(match["target"])
        elif INCLUDE_BLOCK_EDGE.match(line):
            in_block = not in_block
        elif in_block and line.strip():
            found.append(line.strip())
    return found


def include_path(target: str) -> str:
    """`name.py:part` or `name.py:3:9` names the file `name.py`."""
    return target.split(":", 1)[0]


def _unnest(lines: list[str], protected: set[int]) -> bool:
    """Dedent the body of each top-level tab or admonition; blank its opening line."""
    changed = False
    for i, line in enumerate(lines):
        if i in protected or not (match := CONTAINER.match(line)):
            continue
        indent = len(match["indent"])
        lines[i] = ""
        changed = True
        for j in range(i + 1, len(lines)):
            body = lines[j]
            if not body.strip():
                continue
            if len(body) - len(body.lstrip(" ")) < indent + 4:
                break
            lines[j] = body[:indent] + body[indent + 4 :]
    return changed


def blocks(page: Path) -> list[Block]:
    """Every code block a reader of the page sees, fenced or indented."""
    original = page.read_text(encoding="utf-8").split("\n")
    lines = list(original)
    while True:
        tokens = _PARSER.parse("\n".join(lines))
        fences = [token for token in tokens if token.type == "fence" and token.map]
        protected = {i for token in fences for i in range(*token.map)}
        if not _unnest(lines, protected):
            break
    found = []
    for token in tokens:
        if token.type not in ("fence", "code_block") or not token.map:
            continue
        start = token.map[0]
        before = original[start - 1] if start > 0 else ""
        before_codes = shortcodes.find(before)
        found.append(
            Block(
                page=page,
                line=start + 1,
                fenced=token.type == "fence",
                info=token.info.strip(),
                content=token.content,
                marked=any(code.name == "not-runnable" for code in before_codes),
            )
        )
    return found


def pages(root: Path) -> list[Path]:
    docs = root / "docs"
    return sorted(path for path in docs.rglob("*.md") if "_theme" not in path.parts)


def _where(root: Path, block: Block) -> str:
    return f"{block.page.relative_to(root)}:{block.line}"


# --- the checks -------------------------------------------------------------------------


def unmarked_blocks(root: Path) -> list[str]:
    """Code blocks a writer typed: every sample is placed by its `md:sample` marker."""
    problems = []
    for page in pages(root):
        for block in blocks(page):
            if block.marked:
                continue
            first = next((line for line in block.content.splitlines() if line.strip()), "")
            kind = f"a ```{block.info}" if block.fenced else "an indented code"
            if block.fenced and block.only_includes:
                name = include_path(block.includes[0])
                problems.append(
                    f"{_where(root, block)}: {kind} block includes {name} by hand. Place a "
                    f"sample with one line, `<!-- md:sample {name.removesuffix('.py')} -->`: "
                    "it brings the code, its checked output and where that was recorded."
                )
                continue
            problems.append(
                f"{_where(root, block)}: {kind} block ({first.strip()[:40]!r}) is not a "
                "sample. Readers copy code blocks, so each one must be a tested file: move the "
                "code to snippets/<name>.py, put `<!-- md:sample <name> -->` where the block "
                "was, and run `make record NAME=<name>`; or, if it is deliberately not "
                "runnable (a shell export, a pip install), put `<!-- md:not-runnable -->` on "
                "the line right before its opening ``` fence."
            )
    return problems


def stray_markers(root: Path) -> list[str]:
    """`<!-- md:not-runnable -->` lines that do not sit right before a fence."""
    problems = []
    for page in pages(root):
        marked_lines = {block.line - 1 for block in blocks(page) if block.marked}
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1):
            codes = shortcodes.find(line)
            if codes and codes[0].name == "not-runnable" and number not in marked_lines:
                problems.append(
                    f"{page.relative_to(root)}:{number}: `<!-- md:not-runnable -->` marks "
                    "nothing: put it on the line right before the opening ``` fence."
                )
    return problems


def placed_samples(page: Path, root: Path) -> tuple[list[shortcodes.Sample], list[str]]:
    """What the page's `md:sample` / `md:output` markers show, and their mistakes."""
    found, mistakes = shortcodes.placed(page.read_text(encoding="utf-8"), root / "snippets")
    return found, [f"{page.relative_to(root)}:{line}: {what}" for line, what in mistakes]


def missing_includes(root: Path) -> list[str]:
    problems = []
    for page in pages(root):
        problems += placed_samples(page, root)[1]
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1):
            for target in includes_in(line):
                if not (root / "snippets" / include_path(target)).is_file():
                    problems.append(
                        f"{page.relative_to(root)}:{number}: includes {target!r}, but "
                        f"snippets/{include_path(target)} does not exist. Create it, or fix "
                        "the name (include paths are relative to snippets/)."
                    )
    return problems


def unincluded_snippets(root: Path) -> list[str]:
    """Files under snippets/ (samples and outputs) that no page shows."""
    included = set()
    for page in pages(root):
        included |= {include_path(t) for t in includes_in(page.read_text(encoding="utf-8"))}
        for sample in placed_samples(page, root)[0]:
            included |= {name for name in (sample.file, sample.output) if name}
    snippets = root / "snippets"
    problems = []
    for path in snippet_files(snippets):
        name = path.relative_to(snippets).as_posix()
        if name == "ruff.toml" or name.startswith(".") or is_project_file(name):
            continue  # the samples' lint settings, npm project and tool caches, not samples
        if name in included:
            continue
        if name.startswith("output/"):
            case = name.removeprefix("output/").removesuffix(".txt")
            fix = (
                f"show it with `<!-- md:output {case} -->` (or `case={case}` on its "
                "sample's marker), or delete it if its sample is gone"
            )
        else:
            fix = (
                f"place it on the page that explains it with `<!-- md:sample "
                f"{Path(name).stem} -->`, or delete it with its cassette and output"
            )
        problems.append(f"snippets/{name} is included by no page: {fix}.")
    return problems


def unused_cassettes(root: Path, cases, bespoke: set[str]) -> list[str]:
    """Cassettes no sample case and no bespoke test replays."""
    replayed = {case.name for case in cases if case.uses_api} | bespoke
    silent = {case.name for case in cases if not case.uses_api}
    problems = []
    for path in sorted((root / "cassettes").rglob("*.yaml")):
        name = path.relative_to(root / "cassettes").with_suffix("").as_posix()  # ts/<name> too
        if name in replayed:
            continue
        if name in silent:
            why = f"case {name} makes no request (uses_api=False in SPECIAL)"
        else:
            why = (
                f"there is no snippets/{name}.py, no SPECIAL case {name!r} in "
                "streamdocs/samples/cases.py, and no bespoke test replays it"
            )
        problems.append(
            f"cassettes/{name}.yaml is replayed by no test: {why}. Delete it, or restore the "
            "sample it was recorded for and run `make record`."
        )
    return problems
