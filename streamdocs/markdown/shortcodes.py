"""Markdown extension: expand the `<!-- md:NAME args -->` shortcodes, one per line.

HTML comments, so the raw Markdown still reads cleanly on GitHub. This module owns
their grammar (`find`), which the page checks (streamdocs.site.checks) and llms-full.txt
(streamdocs.site.postbuild) read too. A mistake fails the build once, naming the
page, the line and the fix.

- `<!-- md:sample NAME [part=P] [case=C] [output=none] [linenums=1] -->`: the sample
  `snippets/NAME.*` (or the named part between `# --8<-- [start:P]` / `[end:P]`),
  then the output its test checked for case C (default NAME), then where that output
  was recorded. NAME may carry its suffix (`relay_page.js`) and must otherwise name
  one file. When the TypeScript sample `snippets/ts/NAME.ts` exists too, both are shown
  as linked content tabs, "Python" and "TypeScript", each with its own output (case
  `ts/C`) and provenance; `ts/NAME` names the TypeScript sample alone.
- `<!-- md:output CASE -->`: only case CASE's output and provenance (for another run
  of a sample shown above, e.g. in a content tab), in tabs when `ts/CASE` has one too.
- `<!-- md:event-flow CASSETTE -->`: a figure of the cassette's events
  (streamdocs.markdown.event_flow).
- `<!-- md:not-runnable -->`: right before a fence, marks a block that is deliberately
  not a tested sample (a `pip install`); it renders as nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from streamdocs import BuildError
from streamdocs.markdown import PRIORITY, event_flow, front_matter_lines, page_path
from streamdocs.recording import cassettes

SHORTCODE = re.compile(
    r"^(?P<indent>[ \t]*)<!--[ \t]*md:(?P<name>[\w-]+)(?P<args>[^>]*?)-->[ \t]*$", re.M
)
LANGUAGES = {
    ".py": "python",
    ".ts": "ts",
    ".sh": "sh",
    ".js": "js",
    ".html": "html",
    ".conf": "nginx",
}
# The content tabs a sample in both languages is shown in (linked across the site by
# the theme's `content.tabs.link`, so a reader's choice holds on every page).
TABS = {".py": "Python", ".ts": "TypeScript"}
SAMPLE_OPTIONS = {"part", "case", "output", "linenums"}


@dataclass
class Shortcode:
    name: str
    args: list[str]
    options: dict[str, str] = field(default_factory=dict)
    indent: str = ""
    line: int = 0  # 1-based, in the text it was found in


def find(text: str) -> list[Shortcode]:
    found = []
    for match in SHORTCODE.finditer(text):
        args, options = [], {}
        for word in match["args"].split():
            key, eq, value = word.partition("=")
            if eq:
                options[key] = value
            else:
                args.append(word)
        line = text.count("\n", 0, match.start()) + 1
        found.append(Shortcode(match["name"], args, options, match["indent"], line))
    return found


@dataclass(frozen=True)
class Sample:
    """What one `md:sample` / `md:output` marker shows, resolved against snippets/."""

    file: str | None  # under snippets/; None for `md:output`
    part: str | None
    case: str | None  # whose output is shown; None with output=none
    linenums: str | None = None
    tab: str = ""  # "Python" or "TypeScript" when shown beside the other language

    @property
    def output(self) -> str | None:
        return f"output/{self.case}.txt" if self.case else None

    def markdown(self) -> list[str]:
        """The fenced blocks pymdownx.snippets fills in: the tested files themselves."""
        lines: list[str] = []
        if self.file:
            language = LANGUAGES.get(Path(self.file).suffix, "text")
            numbers = f' linenums="{self.linenums}"' if self.linenums else ""
            target = f"{self.file}:{self.part}" if self.part else self.file
            title = Path(self.file).name
            lines += [f'```{language} title="{title}"{numbers}', f'--8<-- "{target}"', "```"]
        if self.case:
            lines += [""] if lines else []
            lines += ['```text title="Output"', f'--8<-- "{self.output}"', "```"]
        return lines


def resolve(code: Shortcode, snippets: Path) -> list[Sample]:
    """The marker's samples (one, or a Python and a TypeScript one shown as tabs), or a
    BuildError saying what is wrong and how to fix it."""
    if code.name == "output":
        if len(code.args) != 1 or code.options:
            raise BuildError("write `<!-- md:output CASE -->` with one case name")
        case = code.args[0]
        twin = f"ts/{case}"
        if "/" not in case and (snippets / "output" / f"{twin}.txt").is_file():
            if not (snippets / "output" / f"{case}.txt").is_file():
                return [Sample(None, None, twin)]
            return [
                Sample(None, None, case, tab="Python"),
                Sample(None, None, twin, tab="TypeScript"),
            ]
        return [Sample(None, None, _case(case, snippets))]
    if len(code.args) != 1:
        raise BuildError("write `<!-- md:sample NAME -->` with one sample name")
    unknown = set(code.options) - SAMPLE_OPTIONS
    if unknown:
        raise BuildError(
            f"md:sample has no option {', '.join(sorted(unknown))}; "
            f"it takes {', '.join(sorted(SAMPLE_OPTIONS))}"
        )
    output = code.options.get("output")
    if output not in (None, "none"):
        raise BuildError("`output=` takes only `none` (the output shown is the case's)")
    name = code.args[0]
    files = [_file(name, snippets)] if Path(name).suffix or "/" in name else _files(name, snippets)
    tabbed = len(files) > 1
    return [
        _sample(file, code, snippets, TABS[Path(file).suffix] if tabbed else "") for file in files
    ]


def _sample(file: str, code: Shortcode, snippets: Path, tab: str) -> Sample:
    part = code.options.get("part")
    if part and f"[start:{part}]" not in (snippets / file).read_text(encoding="utf-8"):
        comment = "//" if file.endswith(".ts") else "#"
        raise BuildError(
            f"snippets/{file} has no part {part!r}: mark it with `{comment} --8<-- "
            f"[start:{part}]` and `{comment} --8<-- [end:{part}]`, or drop `part=`"
        )
    prefix = "ts/" if file.startswith("ts/") else ""
    case = None
    if code.options.get("output") != "none":
        case = _case(prefix + code.options.get("case", Path(file).stem), snippets)
    return Sample(file, part, case, code.options.get("linenums"), tab)


def placed(text: str, snippets: Path) -> tuple[list[Sample], list[tuple[int, str]]]:
    """The samples a page's markers show, and each mistaken marker's (line, what is wrong)."""
    found, mistakes = [], []
    for code in find(text):
        if code.name in ("sample", "output"):
            try:
                found += resolve(code, snippets)
            except BuildError as error:
                mistakes.append((code.line, str(error)))
    return found, mistakes


def samples_in(text: str, snippets: Path) -> list[Sample]:
    """The samples a page's markers show (mistaken markers left out: the build and
    streamdocs.site.checks name those)."""
    return placed(text, snippets)[0]


def as_markdown(text: str, snippets: Path) -> str:
    """The page as plain Markdown (llms-full.txt): each sample marker becomes its fenced
    blocks, every other shortcode disappears."""
    lines = text.split("\n")
    for code in reversed(find(text)):
        shown = []
        if code.name in ("sample", "output"):
            samples = resolve(code, snippets)
            shown = _indented(code, _tabbed([s.markdown() for s in samples], samples))
        lines[code.line - 1 : code.line] = shown
    return "\n".join(lines)


def _file(name: str, snippets: Path) -> str:
    candidates = [snippets / name] if Path(name).suffix else sorted(snippets.glob(f"{name}.*"))
    found = [path.relative_to(snippets).as_posix() for path in candidates if path.is_file()]
    if len(found) == 1:
        return found[0]
    if found:
        raise BuildError(f"md:sample {name} could be {' or '.join(found)}: write the suffix")
    raise BuildError(
        f"there is no snippets/{name}{'' if Path(name).suffix else '.*'}: create the sample "
        "(then `make record NAME=<name>`), or fix the name"
    )


def _files(name: str, snippets: Path) -> list[str]:
    """A sample's files by name: snippets/NAME.* and the TypeScript snippets/ts/NAME.ts."""
    typescript = [f"ts/{name}.ts"] if (snippets / "ts" / f"{name}.ts").is_file() else []
    if typescript and not any(p.is_file() for p in snippets.glob(f"{name}.*")):
        return typescript
    return [_file(name, snippets), *typescript]


def _case(case: str, snippets: Path) -> str:
    if not (snippets / "output" / f"{case}.txt").is_file():
        raise BuildError(
            f"snippets/output/{case}.txt does not exist yet: record the sample with "
            f"`make record NAME={case}` (outputs come from the recording), or write "
            "`output=none` to show the code alone"
        )
    return case


def provenance(case: str, where: str = "") -> str:
    """Where case CASE's output came from, read from its cassette."""
    data = cassettes.by_name(case, where)
    recorded = data.get("recorded")
    if not recorded:
        raise BuildError(
            f"{where}cassettes/{case}.yaml does not say where it came from. "
            f"Re-record it with `make record NAME={case}`."
        )
    if "typescript_sdk" in recorded:
        sdk = f"@anthropic-ai/sdk {recorded['typescript_sdk']} on Node {recorded['node']}"
    else:
        sdk = f"anthropic {recorded['anthropic_sdk']}"
    return (
        f'<p class="recorded"><small>Output recorded from the {recorded["source"]} '
        f"on {recorded['recorded_at']} with {sdk}, "
        f"replayed by the tests from <code>cassettes/{case}.yaml</code>.</small></p>"
    )


def _indented(code: Shortcode, lines: list[str]) -> list[str]:
    """Lines that replace the marker, indented as it is (inside a content tab, say)."""
    return [code.indent + line if line else "" for line in lines]


def _uses_api(case: str, root: Path) -> bool:
    return (root / "cassettes" / f"{case}.yaml").is_file()


def expand(code: Shortcode, root: Path) -> list[str]:
    """The Markdown lines that replace the marker (indented as the marker is)."""
    if code.name == "not-runnable":
        return []
    if code.name == "event-flow":
        if len(code.args) != 1:
            raise BuildError("write `<!-- md:event-flow CASSETTE -->`")
        # Blank lines around it make Markdown treat the figure as one raw HTML block.
        return ["", event_flow.figure(code.args[0]), ""]
    if code.name not in ("sample", "output"):
        raise BuildError(f"unknown shortcode `md:{code.name}`")
    samples = resolve(code, root / "snippets")
    shown = []
    for sample in samples:
        lines = sample.markdown()
        # A run that makes no request (no key, say) has no cassette, so nothing to cite.
        if sample.case and _uses_api(sample.case, root):
            lines.append(provenance(sample.case))
        shown.append(lines)
    return _indented(code, _tabbed(shown, samples))


def _tabbed(shown: list[list[str]], samples: list[Sample]) -> list[str]:
    """One sample's lines as they are; two as content tabs (pymdownx.tabbed), each tab's
    lines indented under its `=== "Label"`."""
    if len(samples) == 1:
        return shown[0]
    lines: list[str] = []
    for sample, block in zip(samples, shown, strict=True):
        lines += [f'=== "{sample.tab}"', ""]
        lines += [f"    {line}" if line else "" for line in block]
        lines.append("")
    return lines


class ShortcodePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "md:" not in text:
            return lines
        root = Path.cwd()  # builds run at the repository root, as pymdownx.snippets' base_path
        out = lines[:]
        for code in reversed(find(text)):
            try:
                out[code.line - 1 : code.line] = expand(code, root)
            except BuildError as error:
                # the page is read again only here, to name the line the writer sees
                where = page_path(self.md)
                line = code.line + front_matter_lines(self.md, lines)
                place = f"{where.removesuffix(': ')}:{line}: " if where else ""
                raise BuildError(f"{place}{error}") from None  # once, without a chain
        return out


class ShortcodesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(ShortcodePreprocessor(md), "streamdocs_shortcodes", PRIORITY)


def makeExtension(**kwargs) -> ShortcodesExtension:
    return ShortcodesExtension(**kwargs)
