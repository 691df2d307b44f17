"""Reading a sample's cassette at build time: one loader, one error for a missing file.

Paths are relative to the folder the build runs in (the repository root), as
pymdownx.snippets' `base_path: [snippets]` already is, under either generator.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from streamdocs import BuildError


def load(name: str, where: str = "", root: Path | None = None) -> dict:
    """cassettes/NAME.yaml as data; `where` ("docs/page.md: " or "") prefixes the error."""
    path = (root or Path.cwd()) / "cassettes" / f"{name}.yaml"
    if not path.exists():
        raise BuildError(
            f"{where}cassettes/{name}.yaml does not exist. Record it with `make record`."
        )
    return yaml.safe_load(path.read_text(encoding="utf-8"))
