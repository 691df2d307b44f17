"""The site builds strictly: broken links, anchors or includes fail by name."""

from __future__ import annotations

import re

import pytest

from streamdocs.paths import copy_project
from streamdocs.site import build as site


def test_site_builds_strictly(built_site):
    assert (built_site / "index.html").exists()
    assert (built_site / "404.html").exists()


def test_sdk_docstring_alerts_are_rendered(built_site):
    """The SDK's docstrings use GitHub's `> [!NOTE]`; the github-callouts extension
    turns it into an admonition instead of printing the marker."""
    marker = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]")
    raw = [
        f"{page.relative_to(built_site)}: {found.group(0)}"
        for page in sorted(built_site.rglob("*.html"))
        for found in marker.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not raw, f"alert markers printed as text (is github-callouts in mkdocs.yml?): {raw}"


@pytest.fixture
def scratch_project(tmp_path):
    """A copy of the site's sources a test may break without touching the real ones."""
    return copy_project(tmp_path, ["mkdocs.yml", "docs", "snippets", "cassettes"])


def test_missing_snippet_fails_the_build_once_at_its_line(scratch_project):
    (scratch_project / "snippets" / "text_stream.py").unlink()
    (scratch_project / "snippets" / "ts" / "text_stream.ts").unlink()  # its TypeScript tab too
    page = scratch_project / "docs" / "index.md"  # the first page built
    line = next(
        number
        for number, text in enumerate(page.read_text().split("\n"), 1)
        if text.strip().startswith("<!-- md:sample text_stream")
    )
    result = site.build(scratch_project / "site", scratch_project / "mkdocs.yml")
    message = f"docs/index.md:{line}: there is no snippets/text_stream.*"
    assert result.returncode != 0
    assert result.stderr.count(message) == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
