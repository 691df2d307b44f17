"""Building the site from tests, the way `make build` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamdocs.paths import ROOT


def build(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into site_dir, then the post-build step, as `make build` does;
    returns the first process that failed, or the last."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(config),
            "-d",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        cwd=config.parent,
    )
    if result.returncode != 0:
        return result
    return postbuild(site_dir, config)


def built(site_dir: Path) -> Path:
    """The site built into site_dir as `build` does; a failed build raises with mkdocs' own
    words (for the tests' fixture, the audit and the screenshots)."""
    result = build(site_dir)
    if result.returncode:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stderr}")
    return site_dir


def postbuild(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """`python -m streamdocs.site.postbuild` (llms.txt, page weight) on a built site."""
    return subprocess.run(
        [sys.executable, "-m", "streamdocs.site.postbuild", str(site_dir), "-f", str(config)],
        capture_output=True,
        text=True,
        cwd=config.parent,
    )
