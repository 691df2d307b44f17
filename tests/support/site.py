"""Building the site from tests, the way `make build` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .paths import ROOT


def build(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into site_dir; returns the finished process."""
    return subprocess.run(
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
