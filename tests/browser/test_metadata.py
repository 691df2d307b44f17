"""Metadata a search engine, a link preview or an LLM reads: descriptions, Open Graph, llms.txt."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from streamdocs.paths import DOCS, ROOT, page_url, rel


def _nav_pages() -> list[tuple[str, str]]:
    """(title, docs-relative path) of every page in mkdocs.yml's nav, in order."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, str):
                found.append((None, item))
            else:
                for title, value in item.items():
                    walk(value) if isinstance(value, list) else found.append((title, value))

    walk(config["nav"])
    return found


def test_site_has_a_description():
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert (config["site_description"] or "").strip(), "mkdocs.yml: set site_description"


def test_every_page_has_a_description():
    missing, unreadable = [], []
    for _, source in _nav_pages():
        text = (DOCS / source).read_text(encoding="utf-8")
        _, meta = get_data(text)
        if text.startswith("---") and not meta:
            # MkDocs drops front matter it cannot parse without a word, e.g. `a: b: c`.
            unreadable.append(rel(DOCS / source))
        elif not str(meta.get("description", "")).strip():
            missing.append(rel(DOCS / source))
    assert not unreadable, (
        f"front matter that is not valid YAML, so MkDocs ignores it: {unreadable}; "
        'quote a value that contains ": ", e.g. description: "Fixes: ..."'
    )
    assert not missing, (
        "pages without a `description:` in their front matter (search results and link "
        f"previews show it): {missing}"
    )


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.properties: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.properties[attrs["property"]] = attrs.get("content") or ""


def test_every_page_has_open_graph_tags(built_site):
    config = load_config(str(ROOT / "mkdocs.yml"))
    for _, source in _nav_pages():
        path = page_url(source)
        parser = _Meta()
        parser.feed((built_site / path / "index.html").read_text(encoding="utf-8"))
        tags = parser.properties
        for name in ("og:title", "og:description", "og:url", "og:type"):
            assert tags.get(name), f"/{path} ({source}): no {name} (docs/_theme/main.html)"
        assert tags["og:url"] == config["site_url"] + path, f"/{path}: og:url {tags['og:url']}"


def test_llms_txt_lists_every_page_in_the_nav(built_site):
    config = load_config(str(ROOT / "mkdocs.yml"))
    index = (built_site / "llms.txt").read_text(encoding="utf-8")
    full = (built_site / "llms-full.txt").read_text(encoding="utf-8")
    assert index.startswith(f"# {config['site_name']}\n")
    for title, source in _nav_pages():
        url = config["site_url"] + page_url(source)
        line = re.search(rf"^- \[(?P<title>[^\]]+)\]\({re.escape(url)}\)(?P<rest>.*)$", index, re.M)
        assert line, f"llms.txt does not list {source} as {url}"
        if title:
            assert line["title"] == title, f"llms.txt names {source} {line['title']!r}"
        _, meta = get_data((DOCS / source).read_text(encoding="utf-8"))
        if meta.get("description"):
            assert line["rest"] == f": {meta['description'].strip()}", f"llms.txt: {source}"
        assert f"\nURL: {url}\n" in full, f"llms-full.txt has no section for {source}"
    # Includes are resolved: the samples' own text, not the `--8<--` lines that name them.
    assert '--8<-- "' not in full, "llms-full.txt still holds an unresolved --8<-- include"
    assert "client.messages.stream(" in full
