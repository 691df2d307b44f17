"""Move one exact pin of pyproject.toml to the newest version the package index serves.

`make lock UPGRADE=NAME` runs `python -m streamdocs.lock NAME` first, then
re-resolves requirements.lock with `--upgrade-package NAME` (every other pin kept).
`python -m streamdocs.lock NAME VERSION` sets that version instead. A package
pyproject.toml does not pin with `==` is left to the resolver. It runs in the
throwaway environment `make lock` makes, with `packaging` (which parses requirement
specifiers as pip does) installed there beside uv.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _dependency(text: str, name: str) -> tuple[str, Requirement] | None:
    """The `[project] dependencies` entry naming the package, as written and parsed."""
    for written in tomllib.loads(text)["project"]["dependencies"]:
        requirement = Requirement(written)
        if canonicalize_name(requirement.name) == canonicalize_name(name):
            return written, requirement
    return None


def pinned(text: str, name: str) -> str | None:
    """The version of an exact `==` pin (extras allowed); None for a range or a wildcard."""
    found = _dependency(text, name)
    specifiers = list(found[1].specifier) if found else []
    if len(specifiers) == 1 and specifiers[0].operator == "==" and "*" not in specifiers[0].version:
        return specifiers[0].version
    return None


def set_pin(text: str, name: str, version: str) -> str:
    written, requirement = _dependency(text, name)
    requirement.specifier = SpecifierSet(f"=={version}")
    return text.replace(f'"{written}"', f'"{requirement}"', 1)


def newest_from_index_output(output: str, name: str) -> str:
    """The version in the first line of `pip index versions NAME`: `name (1.2.3)`."""
    match = re.match(rf"\s*{re.escape(name)}\s+\(([^)]+)\)", output, re.I)
    if not match:
        raise SystemExit(f"could not read the newest {name} from pip:\n{output}")
    return match[1]


def newest(name: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    return newest_from_index_output(result.stdout, name)


def main(argv: list[str], pyproject: Path = PYPROJECT) -> int:
    if len(argv) not in (1, 2):
        print("usage: python -m streamdocs.lock NAME [VERSION]", file=sys.stderr)
        return 2
    name = argv[0]
    text = pyproject.read_text()
    old = pinned(text, name)
    if old is None:
        print(f"{name}: not pinned with == in pyproject.toml; the resolver upgrades it")
        return 0
    new = argv[1] if len(argv) == 2 else newest(name)
    if new == old:
        print(f"{name}: {old} is the newest")
        return 0
    pyproject.write_text(set_pin(text, name, new))
    print(f"{name}: {old} -> {new} in pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
