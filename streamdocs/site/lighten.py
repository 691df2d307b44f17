"""Page weight, after a build by either generator: only the CSS and JavaScript pages use.

Run by the post-build step (postbuild.py) on a built site:

- Stylesheets: every page's local stylesheets (the theme's, its palette's,
  mkdocstrings', docs/_theme's overrides.css) become one file, without the
  rules that can match nothing on any page (purge.py), named by its content
  (assets/stylesheets/site.HASH.min.css) and linked from every page in their
  place: one render-blocking request, cached across pages.
- Scripts: the site's own scripts a page loads (any local `.js` not already
  `.min.js`, as site.js and the search.js it names in `data-search`) are
  minified (rjsmin) into NAME.HASH.min.js and pages point to those; inline
  scripts are minified in place.

The theme's original files stay in the site, unlinked. tests/browser checks
that every class, id, element and attribute a page has at run time, after the
reader's clicks, is one the purge kept rules for (names_used).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import rjsmin

from streamdocs.site import purge

STYLESHEET = re.compile(r'[ \t]*<link rel="stylesheet" href="([^"]+)">\n?')
INLINE_SCRIPT = re.compile(
    r"(<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>)(.*?)(</script>)", re.S
)
JS_REFERENCE = re.compile(r'((?:src|data-[\w-]+)=")([^"]+\.js)(")')
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
MERGED = "assets/stylesheets/site.{}.min.css"


@dataclass
class Lightened:
    stylesheet: str | None  # site-relative path of the merged stylesheet
    scripts: dict[str, str]  # site-relative script -> its minified copy
    pages: int


def _local(page: Path, site: Path, url: str, base: str = "/") -> str | None:
    """A page's reference as a path relative to the site, or None if not a local file.
    The 404 page's references start at the site's root (`base`, site_url's path): it is
    served at any depth."""
    if re.match(r"^[a-z][\w+.-]*:|^//", url):
        return None
    if url.startswith("/"):
        if not url.startswith(base):
            return None
        path = posixpath.normpath(url[len(base) :])
    else:
        path = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), url))
    return path if (site / path).is_file() else None


def _href(page: Path, site: Path, target: str, like: str, base: str = "/") -> str:
    """How `page` names `target`, from the root if it named the file it replaces so."""
    if like.startswith("/"):
        return base + target
    return posixpath.relpath(target, page.parent.relative_to(site).as_posix())


def _fingerprint(site: Path, stem: str, text: str, suffix: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    path = f"{stem}.{digest}{suffix}"
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).write_text(text, encoding="utf-8")
    return path


def _rebased(css: str, source: str, target: str) -> str:
    """Relative url()s in `css` from `source`'s folder, as seen from `target`'s."""

    def rebase(match: re.Match) -> str:
        url = match[2]
        if re.match(r"^[a-z][\w+.-]*:|^/|^#", url):
            return match[0]
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), url))
        return f'url("{posixpath.relpath(joined, posixpath.dirname(target))}")'

    return CSS_URL.sub(rebase, css)


def _scripts(site: Path, pages: dict[Path, str], base: str) -> dict[str, str]:
    """Every local script the pages load or name (site.js names search.js), by path."""
    scripts: dict[str, str] = {}
    for page, html in pages.items():
        for _, url, _ in JS_REFERENCE.findall(html):
            path = _local(page, site, url, base)
            if path and path not in scripts:
                scripts[path] = (site / path).read_text(encoding="utf-8")
    return scripts


def _names(pages: dict[Path, str], scripts: dict[str, str]) -> set[str]:
    inline = [code for html in pages.values() for _, code, _ in INLINE_SCRIPT.findall(html)]
    return purge.names_in(pages.values(), [*scripts.values(), *inline])


def names_used(site: Path, base: str = "/") -> set[str]:
    """What a lightened site's pages and scripts name: the purge kept every rule that
    needs only these (tests/browser checks a page names nothing else at run time)."""
    pages = {page: page.read_text(encoding="utf-8") for page in site.rglob("*.html")}
    return _names(pages, _scripts(site, pages, base))


def lighten(site: Path, base: str = "/") -> Lightened:
    """Lighten every page of the built `site`, served at `base` (site_url's path)."""
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site.rglob("*.html"))}

    # Scripts first, minified: their words are the names the stylesheet keeps, read
    # without their comments (which name features they do not use).
    scripts = _scripts(site, pages, base)
    minified = {
        path: rjsmin.jsmin(code) for path, code in scripts.items() if not path.endswith(".min.js")
    }
    names = _names(pages, {**scripts, **minified})

    # Every page's stylesheets, in the order pages link them.
    order: list[str] = []
    for page, html in pages.items():
        previous = -1
        for url in STYLESHEET.findall(html):
            path = _local(page, site, url, base)
            if path is None:
                continue
            if path not in order:
                order.insert(previous + 1, path)
            previous = order.index(path)
    merged = None
    if order:
        target = MERGED.format("x")
        css = "\n".join(
            _rebased((site / path).read_text(encoding="utf-8"), path, target) for path in order
        )
        merged = _fingerprint(site, "assets/stylesheets/site", purge.purge(css, names), ".min.css")

    renamed = {
        path: _fingerprint(site, path[: -len(".js")], code, ".min.js")
        for path, code in minified.items()
    }

    for page, html in pages.items():
        html = _link_merged(page, site, html, merged, base)

        def script(match: re.Match, page=page) -> str:
            path = _local(page, site, match[2], base)
            if path not in renamed:
                return match[0]
            return match[1] + _href(page, site, renamed[path], match[2], base) + match[3]

        html = JS_REFERENCE.sub(script, html)
        html = INLINE_SCRIPT.sub(lambda m: m[1] + rjsmin.jsmin(m[2]).strip() + m[3], html)
        page.write_text(html, encoding="utf-8")
    return Lightened(merged, renamed, len(pages))


def _link_merged(page: Path, site: Path, html: str, merged: str | None, base: str) -> str:
    """The page's local stylesheet links replaced by one link to the merged file."""
    if merged is None:
        return html
    placed = False

    def replace(match: re.Match) -> str:
        nonlocal placed
        if _local(page, site, match[1], base) is None:
            return match[0]
        if placed:
            return ""
        placed = True
        indent = match[0][: len(match[0]) - len(match[0].lstrip())]
        href = _href(page, site, merged, match[1], base)
        return f'{indent}<link rel="stylesheet" href="{href}">\n'

    return STYLESHEET.sub(replace, html)
