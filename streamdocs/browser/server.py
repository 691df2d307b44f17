"""Serve a built site on loopback, gzip-compressed as a static host would.

aiohttp does the HTTP and the compression; this only maps URLs to files
(directory URLs to index.html, unknown ones to 404.html with status 404).
Runs in a background thread so tests, the audit and screenshots share it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from aiohttp import web

from streamdocs.loopback import LoopbackServer

# Compressed like a static host compresses: text types only. XML too (sitemap.xml,
# which the theme's instant navigation fetches on every page load): common static
# hosts gzip it; served raw here it was 5 of a page's 80 KiB in `make audit`.
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("application/xml", ".xml")


def _app(root: Path) -> web.Application:
    root = root.resolve()

    async def handle(request: web.Request) -> web.StreamResponse:
        path = (root / request.path.lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file() or root not in path.parents:
            path, status = root / "404.html", 404
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        response = web.Response(body=path.read_bytes(), status=status, content_type=content_type)
        if content_type.startswith(COMPRESSIBLE):
            response.enable_compression()
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    return app


class SiteServer(LoopbackServer):
    """`with SiteServer(site_dir) as server: server.url` (http://127.0.0.1:PORT/)."""

    def __init__(self, root: Path):
        super().__init__(_app(Path(root)))

    @property
    def url(self) -> str:
        return super().url + "/"


def pages(site_dir: Path) -> list[str]:
    """Every page of a built site as a URL path ('' for the home page), 404 page excluded."""
    found = []
    for index in sorted(Path(site_dir).rglob("index.html")):
        relative = index.parent.relative_to(site_dir).as_posix()
        found.append("" if relative == "." else relative + "/")
    return found
