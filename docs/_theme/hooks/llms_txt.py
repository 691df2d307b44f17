"""Build hook: write `llms.txt` and `llms-full.txt` into the built site.

- llms.txt (https://llmstxt.org): every page in nav order, grouped by nav
  section, with its title, absolute URL and front-matter description.
- llms-full.txt: each page's Markdown source with `--8<--` includes resolved
  by pymdownx.snippets itself (same settings as the site), so the samples in it
  are the tested files; build shortcodes (HTML comments) are dropped, and the
  `version:` and `sdk:` placeholders filled as on the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import sdk_facts
import versions
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

SHORTCODE = re.compile(r"^[ \t]*<!-- md:[^>]*-->[ \t]*\n?", re.MULTILINE)

_nav: Navigation | None = None


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    return nav


def _groups(items, heading: str) -> list[tuple[str, list[Page]]]:
    """(heading, pages) for top-level pages and each section, nested ones flattened."""
    groups: list[tuple[str, list[Page]]] = [(heading, [])]
    for item in items:
        if isinstance(item, Page):
            groups[0][1].append(item)
        elif isinstance(item, Section):
            pages = [child for child in _walk(item.children)]
            groups.append((item.title, pages))
    return [group for group in groups if group[1]]


def _walk(items):
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from _walk(item.children)


def _url(config, page: Page) -> str:
    return (config.site_url or "/").rstrip("/") + "/" + page.url


def _source_with_includes(config, page: Page) -> str:
    text, _ = get_data(page.file.content_string)
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={
        "pymdownx.snippets": {**snippets, "base_path": [
            str(Path(config.config_file_path).parent / base)
            for base in snippets.get("base_path", ["."])
        ]},
    })  # fmt: skip
    lines = md.preprocessors["snippet"].run(text.splitlines())
    text = sdk_facts.fill(SHORTCODE.sub("", "\n".join(lines)), page.file.src_uri)
    return versions.on_page_markdown(text, page, config, None).strip() + "\n"


def on_post_build(config):
    if _nav is None:
        return
    site = Path(config.site_dir)
    index = [f"# {config.site_name}", "", f"> {config.site_description.strip()}", ""]
    full = [f"# {config.site_name}", "", f"> {config.site_description.strip()}", ""]
    for heading, pages in _groups(_nav.items, "Pages"):
        index += [f"## {heading}", ""]
        for page in pages:
            description = page.meta.get("description", "").strip()
            entry = f"- [{page.title}]({_url(config, page)})"
            index.append(f"{entry}: {description}" if description else entry)
            full += [
                "---",
                "",
                f"Page: {page.title}",
                f"URL: {_url(config, page)}",
                f"Description: {description}",
                "",
                _source_with_includes(config, page),
            ]
        index.append("")
    (site / "llms.txt").write_text("\n".join(index), encoding="utf-8")
    (site / "llms-full.txt").write_text("\n".join(full), encoding="utf-8")
