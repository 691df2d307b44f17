"""The site's own build code, shared by MkDocs and Zensical.

Neither generator's plugin or hook API is used: both run the Python-Markdown
extensions listed under `markdown_extensions:` in mkdocs.yml, so everything that
rewrites a page's Markdown is one (streamdocs.markdown), and what writes whole
files after a build (llms.txt, the page-weight trim) is one command both Make
targets run (`python -m streamdocs.site.postbuild SITE_DIR`).
"""

from __future__ import annotations

try:  # MkDocs prints its own BuildError once, with no traceback, and stops the build
    from mkdocs.exceptions import BuildError as _Base
except ImportError:  # Zensical alone, or a machine without MkDocs
    _Base = Exception


class BuildError(_Base):
    """A writer's mistake (unknown sample, missing cassette), named so it can be fixed.

    Both generators stop on an exception from an extension; the message names the
    page and line where the extension can tell (streamdocs.markdown.page_path).
    """
