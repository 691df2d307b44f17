"""Wheels: the emulator kit's (`make wheel`), and the locked packages `.venv` installed,
packed back into wheels, for installing the kit offline into a fresh virtual environment
(tests/test_kit.py, `make bench`).

`python -m streamdocs.wheelhouse DEST` builds the kit's wheel into DEST with the build
backend the lock pins (kit/pyproject.toml; no download, no build isolation).

pip keeps no wheel of what it installs, and tests never reach the network, so a locked
package is packed again from what its install left: the files its RECORD lists inside
site-packages (scripts outside it pip writes anew from its entry points) and its own
metadata. These are the bytes the lock's hashes admitted, as installed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

_LEFT_OUT = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}  # pip writes its own
KIT = Path(__file__).resolve().parents[1] / "kit"


def kit_metadata() -> dict:
    return tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pip_env() -> dict[str, str]:
    """This environment without the machine's pip settings (an index, find-links, a
    constraint file): what pip does here is what it does on any machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def kit(dest: Path) -> Path:
    """Build the kit's wheel into `dest` (offline: the pinned backend is in this venv)."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--no-build-isolation", "--no-deps", "--no-index", "-w", str(dest), str(KIT)],
        check=True, env=pip_env(),
    )  # fmt: skip
    project = kit_metadata()
    name = project["name"].replace("-", "_")
    return dest / f"{name}-{project['version']}-py3-none-any.whl"


def closure(names: list[str]) -> list[metadata.Distribution]:
    """The installed distributions `names` need, theirs too (extras left out), in order."""
    environment = default_environment()
    found: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in found:
            continue
        found[name] = dist = metadata.distribution(name)
        for written in dist.requires or []:
            requirement = Requirement(written)
            marker = requirement.marker
            if marker is None or marker.evaluate({**environment, "extra": ""}):
                todo.append(requirement.name)
    return list(found.values())


def pack(dist: metadata.Distribution, folder: Path) -> Path:
    """One installed distribution as a wheel in `folder`."""
    tags = [line.split(":", 1)[1].strip() for line in (dist.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]  # fmt: skip
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    path = folder / f"{name}-{dist.version}-{tags[0]}.whl"
    records = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as wheel:
        info = None
        for file in dist.files or []:
            where = file.as_posix()
            if where.startswith("..") or "__pycache__" in file.parts:
                continue
            if file.parts[0].endswith(".dist-info"):
                info = file.parts[0]
                if file.name in _LEFT_OUT:
                    continue
            data = Path(file.locate()).read_bytes()
            wheel.writestr(where, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{where},sha256={digest.decode()},{len(data)}")
        records.append(f"{info}/RECORD,,")
        wheel.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return path


def build(names: list[str], folder: Path) -> list[Path]:
    """Wheels of `names` and everything they need, as installed here, written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [pack(dist, folder) for dist in closure(names)]


def fresh_kit(folder: Path, wheel: Path, also: tuple[str, ...] = ("anthropic", "pytest")) -> Path:
    """A new virtual environment in `folder` holding the kit's `wheel` and `also`, installed
    by pip with --no-index from that wheel and the locked packages; its python."""
    from packaging.requirements import Requirement

    needs = [Requirement(r).name for r in kit_metadata()["dependencies"]]
    build([*needs, *also], folder / "locked")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", "--no-index", "--no-compile",
         "--find-links", str(folder / "locked"), "--find-links", str(wheel.parent),
         kit_metadata()["name"], *also],
        check=True, env=pip_env(), capture_output=True, text=True,
    )  # fmt: skip
    return python


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m streamdocs.wheelhouse DEST")
    print(kit(Path(sys.argv[1])))
