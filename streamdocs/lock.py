"""Move one exact pin of pyproject.toml to the newest version the package index serves.

`make lock UPGRADE=NAME` runs `python -m streamdocs.lock NAME` first, then
re-resolves requirements.lock with `--upgrade-package NAME` (every other pin kept).
`python -m streamdocs.lock NAME VERSION` sets that version instead. A package
pyproject.toml does not pin with `==` is left to the resolver. Standard library
only: it runs in the throwaway environment `make lock` makes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _pin(name: str) -> re.Pattern:
    """`"name==1.2.3"` (any extras) inside the dependencies list; the version is group 2."""
    spelled = re.sub(r"[-_.]+", "[-_.]+", re.escape(name).replace("\\", ""))
    return re.compile(rf'("{spelled}(?:\[[^\]]*\])?==)([0-9][0-9A-Za-z.]*)"', re.I)


def pinned(text: str, name: str) -> str | None:
    match = _pin(name).search(text)
    return match[2] if match else None


def set_pin(text: str, name: str, version: str) -> str:
    return _pin(name).sub(lambda m: f'{m[1]}{version}"', text, count=1)


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
