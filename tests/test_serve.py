"""`make serve` keeps compiled templates and the loaded SDK between rebuilds
(streamdocs/site/serve.py): a rebuild with them shows the same pages as a fresh build."""

from __future__ import annotations

import subprocess
import sys

from streamdocs.paths import ROOT

# A fresh build, then the caches turned on and two rebuilds, as `make serve` does on saves.
BUILDS = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from streamdocs.site import serve
logging.disable(logging.WARNING)
fresh, *rebuilds = sys.argv[1:]
build(load_config("mkdocs.yml", site_dir=fresh))
serve.share_compiled_templates()
serve.share_loaded_modules()
for site in rebuilds:
    build(load_config("mkdocs.yml", site_dir=site))
"""


def test_a_rebuild_with_the_kept_caches_shows_the_same_pages(tmp_path):
    fresh, first, second = tmp_path / "fresh", tmp_path / "first", tmp_path / "second"
    result = subprocess.run(
        [sys.executable, "-c", BUILDS, str(fresh), str(first), str(second)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("*.html"))
    assert len(pages) > 20
    for rebuild in (first, second):
        differ = [str(p) for p in pages if (rebuild / p).read_bytes() != (fresh / p).read_bytes()]
        assert not differ, f"the {rebuild.name} rebuild differs from a fresh build: {differ[:5]}"
