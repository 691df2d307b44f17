"""The site's own build code, shared by MkDocs and Zensical.

Neither generator's plugin or hook API is used: both run the Python-Markdown
extensions listed under `markdown_extensions:` in mkdocs.yml, so everything that
rewrites a page's Markdown is one (streamdocs.markdown), and what writes whole
files after a build (llms.txt, the page-weight trim) is one command both Make
targets run (`python -m streamdocs.site.postbuild SITE_DIR`).
"""

from __future__ import annotations


class BuildError(Exception):
    """A writer's mistake (unknown placeholder, missing cassette), named so it can be fixed.

    Both generators stop on an exception from an extension; MkDocs names the page
    ("Error reading page 'x.md'"), and where Zensical tells an extension which page
    it renders, the message names it too (streamdocs.markdown.page_path).
    """
