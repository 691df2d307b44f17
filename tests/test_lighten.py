"""The post-build step's page weight (streamdocs/site/lighten.py, purge.py) on a tiny site."""

from __future__ import annotations

import re

from streamdocs.site import lighten, purge

THEME = """
:root{--used:red;--unused:blue;--read-by-unused:green}
.kept{color:var(--used)}
.gone{color:var(--unused);background:var(--read-by-unused)}
.kept:hover,.gone:hover{margin:0}
.made-by-script{padding:0}
[data-state=open]{top:0}
[data-state=shut]{top:1px}
@media (min-width:10em){.gone{margin:1px}.kept{margin:2px}}
@keyframes spin{to{opacity:1}}
@keyframes unused-spin{to{opacity:0}}
.kept{animation:spin 1s}
.icon{background:url("../images/i.svg")}
"""


def _site(tmp_path):
    (tmp_path / "assets" / "css").mkdir(parents=True)
    (tmp_path / "assets" / "css" / "theme.css").write_text(THEME)
    (tmp_path / "assets" / "css" / "ours.css").write_text(".kept{border:0}")
    (tmp_path / "assets" / "app.js").write_text(
        '// comment: gone\nel.className = "made-by-script";'
    )
    (tmp_path / "guide").mkdir()
    head = '<link rel="stylesheet" href="{0}assets/css/theme.css">\n' \
           '<link rel="stylesheet" href="{0}assets/css/ours.css">\n'  # fmt: skip
    body = '<p class="kept icon" data-state="open">x</p><script src="{0}assets/app.js"></script>'
    (tmp_path / "guide" / "index.html").write_text(head.format("../") + body.format("../"))
    (tmp_path / "404.html").write_text(head.format("/docs/") + body.format("/docs/"))
    return tmp_path


def test_one_stylesheet_without_the_rules_no_page_can_use(tmp_path):
    site = _site(tmp_path)
    done = lighten.lighten(site, base="/docs/")
    css = (site / done.stylesheet).read_text()
    for kept in (".kept{", ".kept:hover", ".made-by-script", "[data-state=open]", "--used:",
                 "@keyframes spin", "border:0", 'url("../images/i.svg")'):  # fmt: skip
        assert kept in css, f"{kept!r} went: {css}"
    for gone in (".gone", "shut", "--unused", "--read-by-unused", "unused-spin"):
        assert gone not in css, f"{gone!r} stayed: {css}"
    assert re.fullmatch(r"assets/stylesheets/site\.[0-9a-f]{8}\.min\.css", done.stylesheet)


def test_pages_link_the_merged_stylesheet_and_minified_scripts(tmp_path):
    site = _site(tmp_path)
    done = lighten.lighten(site, base="/docs/")
    script = done.scripts["assets/app.js"]
    guide = (site / "guide" / "index.html").read_text()
    assert re.findall(r'href="([^"]+)"', guide) == ["../" + done.stylesheet]
    assert f'src="../{script}"' in guide
    # The 404 page names its files from the site's root: it is served at any depth.
    missing = (site / "404.html").read_text()
    assert re.findall(r'href="([^"]+)"', missing) == ["/docs/" + done.stylesheet]
    assert f'src="/docs/{script}"' in missing
    assert "comment" not in (site / script).read_text()


def test_a_selector_needs_every_name_it_names():
    names = purge.names_in(['<div class="a" id="b">'])
    assert purge.purge(".a#b{x:1}.a.c{x:2}div>.a{x:3}span{x:4}.a:not(.z){x:5}", names) == (
        ".a#b{x:1}div>.a{x:3}.a:not(.z){x:5}"
    )
