"""After a build, by either generator: write llms.txt and llms-full.txt, lighten the pages.

    python -m streamdocs.site.postbuild SITE_DIR [-f mkdocs.yml]

`make build`, `make zensical` and the tests' builds (streamdocs/site/build.py) run it;
neither MkDocs' hooks nor a Zensical plugin API is needed. It reads the same
mkdocs.yml and pages, so both sites get the same files.

- llms.txt (https://llmstxt.org): every page in nav order, grouped by nav
  section, with its title, absolute URL and front-matter description.
- llms-full.txt: each page's Markdown source with `--8<--` includes resolved
  by pymdownx.snippets itself (same settings as the site), so the samples in it
  are the tested files; `md:sample` markers become those includes, other
  shortcodes (HTML comments) are dropped, and the
  `version:` and `sdk:` placeholders filled as on the page.
- Page weight: only the CSS and JavaScript the pages use, one stylesheet and
  minified scripts (lighten.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import yaml

from streamdocs.markdown import kit, sdk_facts, shortcodes, versions
from streamdocs.paths import page_url
from streamdocs.site import lighten

FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:-{3}|\.{3})[ \t]*\n", re.S)
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass
class Page:
    path: str  # relative to docs/
    nav_title: str | None
    source: str = field(repr=False)  # the Markdown without its front matter
    meta: dict

    @property
    def title(self) -> str:
        """As MkDocs titles a page: the nav's title, the front matter's, the first `# `."""
        if self.nav_title:
            return self.nav_title
        if self.meta.get("title"):
            return str(self.meta["title"])
        heading = HEADING.search(self.source)
        if heading:
            return re.sub(r"[`*_]", "", heading[1])
        return Path(self.path).stem.replace("-", " ").replace("_", " ").capitalize()

    @property
    def url(self) -> str:
        return page_url(self.path)


def read_page(docs: Path, path: str, nav_title: str | None) -> Page:
    text = (docs / path).read_text(encoding="utf-8-sig")
    meta: dict = {}
    found = FRONT_MATTER.match(text)
    if found:
        meta = yaml.safe_load(found[1]) or {}
        text = text[found.end() :]
    return Page(path, nav_title, text, meta)


def groups(config: dict, docs: Path) -> list[tuple[str, list[Page]]]:
    """(heading, pages) for top-level pages and each section, nested ones flattened."""

    def walk(items) -> list[Page]:
        pages = []
        for item in items:
            title, value = _entry(item)
            if isinstance(value, list):
                pages += walk(value)
            else:
                pages.append(read_page(docs, value, title))
        return pages

    top: list[Page] = []
    sections: list[tuple[str, list[Page]]] = []
    for item in config["nav"]:
        title, value = _entry(item)
        if isinstance(value, list):
            sections.append((title, walk(value)))
        else:
            top.append(read_page(docs, value, title))
    return [group for group in [("Pages", top), *sections] if group[1]]


def _entry(item) -> tuple[str | None, str | list]:
    if isinstance(item, str):
        return None, item
    [(title, value)] = item.items()
    return title, value


def _snippets_config(config: dict, root: Path) -> dict:
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            settings = dict(entry["pymdownx.snippets"] or {})
            settings["base_path"] = [str(root / base) for base in settings.get("base_path", ["."])]
            return settings
    return {"base_path": [str(root)]}


def full_source(page: Page, snippets: dict) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippets}
    )
    source = shortcodes.as_markdown(page.source, Path(snippets["base_path"][0]))
    text = "\n".join(md.preprocessors["snippet"].run(source.splitlines()))
    where = f"docs/{page.path}: "
    return kit.fill(versions.fill(sdk_facts.fill(text, where), where), where).strip() + "\n"


def write_llms_txt(config: dict, root: Path, site: Path) -> None:
    docs = root / config.get("docs_dir", "docs")
    base = (config.get("site_url") or "/").rstrip("/") + "/"
    snippets = _snippets_config(config, root)
    description = config["site_description"].strip()
    index = [f"# {config['site_name']}", "", f"> {description}", ""]
    full = [f"# {config['site_name']}", "", f"> {description}", ""]
    for heading, pages in groups(config, docs):
        index += [f"## {heading}", ""]
        for page in pages:
            summary = str(page.meta.get("description", "")).strip()
            entry = f"- [{page.title}]({base}{page.url})"
            index.append(f"{entry}: {summary}" if summary else entry)
            full += [
                "---",
                "",
                f"Page: {page.title}",
                f"URL: {base}{page.url}",
                f"Description: {summary}",
                "",
                full_source(page, snippets),
            ]
        index.append("")
    (site / "llms.txt").write_text("\n".join(index), encoding="utf-8")
    (site / "llms-full.txt").write_text("\n".join(full), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m streamdocs.site.postbuild", description=__doc__
    )
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    config = yaml.safe_load(args.config_file.read_text(encoding="utf-8"))
    if not (args.site_dir / "index.html").exists():
        print(f"{args.site_dir}: no built site here (build first)", file=sys.stderr)
        return 1
    write_llms_txt(config, args.config_file.resolve().parent, args.site_dir)
    lighten.lighten(args.site_dir, urlsplit(config.get("site_url") or "/").path or "/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
