"""The theme partials in docs/_theme/partials/ are Material's own, each with one stated change.

When the theme is upgraded, a partial that no longer matches the new theme's
copy plus that change fails here, instead of silently keeping old markup.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import material
import pytest
import zensical
from mkdocs.config import load_config

from streamdocs.paths import DOCS, ROOT, rel

THEME_PARTIALS = Path(material.__file__).parent / "templates" / "partials"
ZENSICAL_PARTIALS = Path(zensical.__file__).parent / "templates" / "partials"
OUR_PARTIALS = DOCS / "_theme" / "partials"

# partial -> [(text in Material's copy, what ours has instead)]
CHANGES = {
    "search.html": [
        ('role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
    ],
    "palette.html": [
        ('data-md-component="palette"', "data-palette-toggle"),
        ("</form>\n", '</form>\n<script>{% include "assets/javascripts/palette.js" %}</script>\n'),
    ],
    "source.html": [
        (' data-md-component="source"', ""),
    ],
}

LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
# A partial may hold Zensical's own copy for Zensical builds (no `mkdocs_version`).
FOR_MKDOCS_ONLY = re.compile(
    r"\A\{%- if mkdocs_version is defined %\}\n(?P<mkdocs>.*)"
    r"\{%- else %\}\n(?P<zensical>.*)\{%- endif %\}\n\Z",
    re.DOTALL,
)


def test_every_partial_override_is_listed():
    ours = sorted(path.name for path in OUR_PARTIALS.glob("*.html"))
    assert ours == sorted(CHANGES), (
        f"{rel(OUR_PARTIALS)}/ holds {ours}; list each override's changes in CHANGES in "
        f"{rel(Path(__file__))}"
    )


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_partial_is_the_themes_copy_with_its_stated_change(name):
    expected = LEADING_COMMENT.sub("", (THEME_PARTIALS / name).read_text(encoding="utf-8"))
    for theirs, ours in CHANGES[name]:
        assert theirs in expected, (
            f"Material's partials/{name} no longer contains {theirs!r}: the theme changed; "
            f"re-copy it into {rel(OUR_PARTIALS / name)} and redo the change"
        )
        expected = expected.replace(theirs, ours, 1)
    actual = LEADING_COMMENT.sub("", (OUR_PARTIALS / name).read_text(encoding="utf-8"))
    if branches := FOR_MKDOCS_ONLY.match(actual):
        actual = branches["mkdocs"]
        zensical = LEADING_COMMENT.sub("", (ZENSICAL_PARTIALS / name).read_text(encoding="utf-8"))
        assert branches["zensical"] == zensical, (
            f"{rel(OUR_PARTIALS / name)}: its Zensical branch is not Zensical's own "
            f"partials/{name}: re-copy it"
        )
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"Material's {name} + stated change",
            rel(OUR_PARTIALS / name),
        )
    )
    assert not diff, (
        f"{rel(OUR_PARTIALS / name)} differs from Material's copy beyond the change listed "
        f"in CHANGES: copy the new version and redo the change\n{diff}"
    )


def test_palette_options_are_ones_palette_js_handles():
    """palette.js picks an option by its media query; the theme's automatic
    `(prefers-color-scheme)` option, or one without a query, it does not handle."""
    options = load_config(str(ROOT / "mkdocs.yml"))["theme"]["palette"]
    media = [option.get("media") for option in options]
    assert sorted(media) == ["(prefers-color-scheme: dark)", "(prefers-color-scheme: light)"], (
        f"mkdocs.yml: theme.palette has media {media}; docs/_theme/assets/javascripts/palette.js "
        "handles one light and one dark option, each with its (prefers-color-scheme: ...) query"
    )
