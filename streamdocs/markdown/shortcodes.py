"""Markdown extension: expand `<!-- md:NAME args -->` shortcodes.

One regex over HTML comments, so the raw Markdown still reads cleanly on
GitHub; an unknown shortcode or a missing file fails the build by name.

- `<!-- md:recorded NAME -->`: where the output above came from, read from
  cassettes/NAME.yaml (emulator or live API, and when).
- `<!-- md:not-runnable -->`: placed right before a fence, marks a block that
  is deliberately not a tested snippet (a shell `export`, a `pip install`).
  It renders as nothing; the page checks read it.

`md:event-flow` is streamdocs.markdown.event_flow's, expanded before this runs.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown

from streamdocs import BuildError
from streamdocs.markdown import PRIORITY, Substitution
from streamdocs.recording import cassettes

SHORTCODE = re.compile(r"<!-- md:(?P<name>[\w-]+)(?P<args>[^>]*?)-->")


def expand(match: re.Match, where: str = "") -> str:
    name, args = match["name"], match["args"].split()
    if name == "recorded":
        return recorded(args, where)
    if name == "not-runnable":
        return ""
    raise BuildError(f"{where}unknown shortcode `md:{name}`")


def recorded(args: list[str], where: str = "") -> str:
    if len(args) != 1:
        raise BuildError(f"{where}write `<!-- md:recorded CASE -->` with one case name")
    cassette_name = f"{args[0]}.yaml"
    data = cassettes.by_name(args[0], where)
    provenance = data.get("recorded")
    if not provenance:
        raise BuildError(
            f"cassettes/{cassette_name} does not say where it came from. "
            "Re-record it with `make record`."
        )
    return (
        f'<p class="recorded"><small>Output recorded from the {provenance["source"]} '
        f"on {provenance['recorded_at']} with anthropic {provenance['anthropic_sdk']}, "
        f"replayed by the tests from <code>cassettes/{cassette_name}</code>.</small></p>"
    )


class ShortcodesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(
            Substitution(md, SHORTCODE, expand), "streamdocs_shortcodes", PRIORITY + 1
        )


def makeExtension(**kwargs) -> ShortcodesExtension:
    return ShortcodesExtension(**kwargs)
