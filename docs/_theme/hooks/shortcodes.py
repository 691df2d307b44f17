"""Build hook: expand `<!-- md:NAME args -->` shortcodes.

One regex over HTML comments, so the raw Markdown still reads cleanly on
GitHub; an unknown shortcode or a missing file fails the build by name.

- `<!-- md:recorded NAME -->`: where the output above came from, read from
  cassettes/NAME.yaml (emulator or live API, and when).
- `<!-- md:not-runnable -->`: placed right before a fence, marks a block that
  is deliberately not a tested snippet (a shell `export`, a `pip install`).
  It renders as nothing; the page checks read it.
"""

from __future__ import annotations

import re
from pathlib import Path

import recorded_cassettes
from mkdocs.exceptions import PluginError

SHORTCODE = re.compile(r"<!-- md:(?P<name>[\w-]+)(?P<args>[^>]*?)-->")


def on_page_markdown(markdown, page, config, files):
    root = Path(config.config_file_path).parent

    def expand(match: re.Match) -> str:
        name, args = match["name"], match["args"].split()
        where = page.file.src_uri
        if name == "recorded":
            return _recorded(root, args, where)
        if name == "not-runnable":
            return ""
        raise PluginError(f"docs/{where}: unknown shortcode `md:{name}`")

    return SHORTCODE.sub(expand, markdown)


def _recorded(root: Path, args: list[str], where: str) -> str:
    if len(args) != 1:
        raise PluginError(f"docs/{where}: write `<!-- md:recorded CASE -->` with one case name")
    cassette_name = f"{args[0]}.yaml"
    data = recorded_cassettes.load(root, args[0], where)
    recorded = data.get("recorded")
    if not recorded:
        raise PluginError(
            f"cassettes/{cassette_name} does not say where it came from. "
            "Re-record it with `make record`."
        )
    return (
        f'<p class="recorded"><small>Output recorded from the {recorded["source"]} '
        f"on {recorded['recorded_at']} with anthropic {recorded['anthropic_sdk']}, "
        f"replayed by the tests from <code>cassettes/{cassette_name}</code>.</small></p>"
    )
