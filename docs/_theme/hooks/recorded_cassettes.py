"""Reading a sample's cassette from a build hook: one loader, one error for a missing file.

Not a hook itself: shortcodes.py and event_flow.py import it (mkdocs puts a
hook's folder on sys.path while loading it).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError


def load(root: Path, name: str, where: str) -> dict:
    """cassettes/NAME.yaml as data; `where` is the page that asked, for the error."""
    path = root / "cassettes" / f"{name}.yaml"
    if not path.exists():
        raise PluginError(
            f"docs/{where}: cassettes/{name}.yaml does not exist. Record it with `make record`."
        )
    return yaml.safe_load(path.read_text(encoding="utf-8"))
