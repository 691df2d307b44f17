"""MkDocs and Zensical build the same site from the same mkdocs.yml.

Both builds are made once per session (conftest: built_site, zensical_site). The
comparison names each kind of difference; the names found must be exactly the
gaps streamdocs/site/zensical.py declares (and the README lists), so a new gap
fails here, and so does one that closed without the list saying so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from streamdocs.markdown import kit, sdk_facts, versions
from streamdocs.paths import DOCS, ROOT, page_url
from streamdocs.site import build as site
from streamdocs.site import zensical as build_zensical

FIGURE = re.compile(r'<figure class="event-flow-figure">.*?</figure>', re.S)
RECORDED = re.compile(r'<p class="recorded">.*?</p>', re.S)
OPEN_GRAPH = re.compile(r'<meta property="og:(?:title|description|type)" content="[^"]*">')
# What docs/_theme/ and the post-build step (streamdocs/site/lighten.py) give every page:
# one purged, fingerprinted stylesheet; scripts that wait for the parser (MkDocs: the
# site's own site.js, Zensical: its bundle); the search index held until wanted (site.js
# loads search.js on demand, Zensical's bundle is held by search-on-demand.js); and the
# partials' changes (tests/test_theme_overrides.py).
THEME_MARKS = {
    "one purged stylesheet": re.compile(
        r'<link rel="stylesheet" href="[^"]*assets/stylesheets/site\.[0-9a-f]{8}\.min\.css">'
    ),
    "deferred script": re.compile(r'<script src="[^"]*\.min\.js"[^>]*\bdefer\b'),
    "search held until wanted": re.compile(
        r'data-search="[^"]*search\.[0-9a-f]{8}\.min\.js"|var INDEX=/\\/search'
    ),
    "named search dialog": re.compile(r'data-md-component="search" role="dialog" aria-label='),
    "palette form not mounted by the bundle": re.compile(r"<form [^>]*data-palette-toggle"),
    "no GitHub API source widget": re.compile(r'^(?![\s\S]*data-md-component="source")'),
}
API_REFERENCE = re.compile(r'class="doc doc-')
SEARCH_ON_DEMAND = ROOT / "docs" / "_theme" / "assets" / "javascripts" / "search-on-demand.js"


def _search_index_held(site: Path) -> bool:
    """Does search-on-demand.js's INDEX pattern match the search index this build wrote?"""
    pattern = re.search(r"var INDEX = /(.+)/;", SEARCH_ON_DEMAND.read_text(encoding="utf-8"))[1]
    indexes = [
        p for name in ("search/search_index.json", "search.json") if (p := site / name).exists()
    ]
    return bool(indexes) and all(
        re.search(pattern.replace("\\/", "/"), "/" + p.relative_to(site).as_posix())
        for p in indexes
    )


def _pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def _placeholders() -> dict[str, list[tuple[str, str]]]:
    """Built page -> (kind, value) for each placeholder its source uses."""
    found: dict[str, list[tuple[str, str]]] = {}
    for source in sorted(DOCS.rglob("*.md")):
        if "_theme" in source.parts:
            continue
        built = page_url(source) + "index.html"
        text = source.read_text(encoding="utf-8")
        for kind, module in (("sdk-facts", sdk_facts), ("versions", versions), ("kit", kit)):
            for name in module.PLACEHOLDER.findall(text):
                found.setdefault(built, []).append((kind, module.VALUES[name]()))
    return found


def differences(mkdocs: Path, zensical: Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    """(kind of difference -> examples, kind of content -> how much MkDocs' build has)."""
    found: dict[str, list[str]] = {}
    kinds = ["pages", "event-flow", "recorded", "placeholders", "open-graph", "api-reference"]
    seen = dict.fromkeys(kinds + [f"theme: {what}" for what in THEME_MARKS], 0)
    seen["search held"] = _search_index_held(mkdocs)
    if _search_index_held(mkdocs) != _search_index_held(zensical):
        found["search held"] = ["search-on-demand.js does not match one build's search index"]
    ours, theirs = _pages(mkdocs), _pages(zensical)
    seen["pages"] = len(ours)
    if set(ours) != set(theirs):
        found["pages"] = sorted(set(ours) ^ set(theirs))
    for name in ("llms.txt", "llms-full.txt"):
        if (mkdocs / name).read_bytes() != (zensical / name).read_bytes():
            found.setdefault("llms.txt", []).append(name)
    placeholders = _placeholders()
    for page in sorted(set(ours) & set(theirs)):
        a, b = ours[page], theirs[page]
        for kind, pattern in (
            ("event-flow", FIGURE),
            ("recorded", RECORDED),
            ("open-graph", OPEN_GRAPH),
            ("api-reference", API_REFERENCE),
        ):
            seen[kind] += len(pattern.findall(a))
            if pattern.findall(a) != pattern.findall(b):
                found.setdefault(kind, []).append(page)
        for kind, value in placeholders.get(page, []):
            seen["placeholders"] += 1
            if (value in a) != (value in b):
                found.setdefault(kind, []).append(f"{page}: {value}")
        for what, mark in THEME_MARKS.items():
            seen[f"theme: {what}"] += bool(mark.search(a))
            if bool(mark.search(a)) != bool(mark.search(b)):
                found.setdefault("theme", []).append(f"{page}: {what}")
        for text, generator in ((a, "MkDocs"), (b, "Zensical")):
            if re.search(r"(<|&lt;)!-- (md|sdk|version|kit):", text):
                found.setdefault("placeholder left", []).append(f"{generator}: {page}")
    return found, seen


def test_both_builds_carry_the_same_pages_and_generated_content(built_site, zensical_site):
    found, seen = differences(built_site, zensical_site)
    empty = [kind for kind, count in seen.items() if not count]
    assert not empty, f"the comparison saw no {empty} in the MkDocs build: is it still looking?"
    assert set(found) == set(build_zensical.GAPS), (
        "Zensical's build differs from MkDocs' in other ways than the known gaps "
        f"(streamdocs/site/zensical.py GAPS: {sorted(build_zensical.GAPS)}):\n"
        + "\n".join(f"{kind}: {examples[:5]}" for kind, examples in sorted(found.items()))
    )


def test_the_comparison_sees_a_difference(built_site, tmp_path):
    """A Zensical page missing a diagram and a provenance note is found, by kind."""
    import shutil

    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    page = broken / "concepts" / "index.html"
    page.write_text(RECORDED.sub("", FIGURE.sub("", page.read_text(encoding="utf-8"))))
    (broken / "versions" / "index.html").unlink()
    found, _ = differences(built_site, broken)
    assert set(found) == {"event-flow", "recorded", "pages"}, found
    assert found["pages"] == ["versions/index.html"]


def test_the_readme_lists_exactly_the_known_gaps():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Zensical\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- \*\*([\w. -]+)\*\*:", section, re.M))
    assert listed == set(build_zensical.GAPS), (
        f"README lists {listed}, the build {build_zensical.GAPS}"
    )
    if not build_zensical.GAPS:
        assert "no known gaps" in section
    for name in build_zensical.SEEN_BY_HAND:
        assert f"*{name}*:" in section, f"README does not list what was seen by hand: {name}"


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_a_writers_mistake_stops_either_build_once_naming_page_line_and_fix(tmp_path, generator):
    """The extensions fail the same way under both: page and line (front matter counted),
    what is wrong and the command that fixes it, said once, without a traceback."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "output").mkdir(parents=True)
    (tmp_path / "snippets" / "new_sample.py").write_text("print('hi')\n")
    page = "---\ndescription: x\n---\n# Home\n\n<!-- md:sample new_sample -->\n"
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Scratch\nmarkdown_extensions:\n  - streamdocs.markdown.shortcodes\n"
    )
    if generator == "mkdocs":
        result = site.build(tmp_path / "site", tmp_path / "mkdocs.yml")
    else:
        result = build_zensical.build(tmp_path / "site", tmp_path / "mkdocs.yml")
    output = result.stdout + result.stderr
    message = (
        "docs/index.md:6: snippets/output/new_sample.txt does not exist yet: record the "
        "sample with `make record NAME=new_sample`"
    )
    assert result.returncode != 0, output
    assert output.count(message) == 1, output
    assert "Traceback" not in output, output
