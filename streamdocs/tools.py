"""The system tools the tests drive, found or installed: `python3 -m streamdocs.tools NAME...`.

`make test` runs this first. For each tool it looks, in this order:

1. the variable that names it (`CHROME_PATH`, `CURL_PATH`, `NGINX_PATH`,
   `REDIS_SERVER_PATH`): used as
   given, and an error if it names no executable file;
2. `PATH`, under the tool's usual command names;
3. an install of its Debian package: `apt-get` when root, `sudo -n apt-get` where
   sudo allows it without a password (one `apt-get update`, one install for all
   missing tools), unless `INSTALL_TOOLS=no`;

and only then stops with one line naming the command to run. Standard library
only: it runs before `.venv` exists. A new tool is one more `Tool(...)` in TOOLS.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    name: str
    variable: str  # names the executable to use, when set
    commands: tuple[str, ...]  # looked for on PATH, in this order
    package: str  # the Debian package that provides it
    why: str
    # Where the package installs it, for a PATH without sbin (nginx, as non-root).
    installed_at: tuple[str, ...] = ()
    # For a part of this Python rather than a program: the module that must import.
    module: str | None = None
    # For a shared library rather than a program: the soname the dynamic loader must find.
    library: str | None = None


# Debian splits `python3 -m venv` out of python3 (ensurepip is in python3.X-venv).
_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


TOOLS = {
    tool.name: tool
    for tool in (
        Tool(
            "venv",
            "",
            (),
            f"python{_VERSION}-venv",
            "make creates .venv with `python3 -m venv`",
            module="ensurepip",
        ),
        Tool(
            "chromium",
            "CHROME_PATH",
            ("chromium", "chromium-browser"),
            "chromium",
            "the browser tests drive it through Playwright; no browser is downloaded",
        ),
        Tool(
            "libatomic",
            "",
            (),
            "libatomic1",
            "Playwright's bundled node driver links it; chromium does not bring it",
            library="libatomic.so.1",
        ),
        Tool("curl", "CURL_PATH", ("curl",), "curl", "the curl sample runs under real curl"),
        Tool("npm", "NPM_PATH", ("npm",), "npm", "make audit runs Lighthouse and axe-core"),
        Tool(
            "nginx",
            "NGINX_PATH",
            ("nginx",),
            "nginx",
            "the relay guide's configuration is served by real nginx",
            ("/usr/sbin/nginx",),
        ),
        Tool(
            "redis",
            "REDIS_SERVER_PATH",
            ("redis-server",),
            "redis-server",
            "the resumable relay keeps its streams and limits in Redis",
        ),
    )
}


class Missing(Exception):
    """A tool that cannot be found or installed; str() is the one line to show."""


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find(name: str, environ: dict[str, str] | None = None) -> str | None:
    """The tool's executable from its variable, then PATH, then its install location."""
    environ = os.environ if environ is None else environ
    tool = TOOLS[name]
    if tool.module:
        importlib.invalidate_caches()  # it may have just been installed
        return sys.executable if importlib.util.find_spec(tool.module) else None
    if tool.library:
        try:
            ctypes.CDLL(tool.library)
        except OSError:
            return None
        return tool.library
    named = environ.get(tool.variable)
    if named:
        if not _executable(named):
            raise Missing(f"{tool.variable}={named} is not an executable file: fix or unset it")
        return named
    for command in tool.commands:
        found = shutil.which(command, path=environ.get("PATH", os.defpath))
        if found:
            return found
    return next((path for path in tool.installed_at if _executable(path)), None)


def install_command(
    packages: list[str], environ: dict[str, str], euid: int | None = None
) -> list[list[str]] | None:
    """The commands that install these Debian packages here, or None where none can."""
    if environ.get("INSTALL_TOOLS", "").lower() in ("no", "0", "false"):
        return None
    path = environ.get("PATH", os.defpath)
    apt_get = shutil.which("apt-get", path=path)
    if not apt_get:
        return None
    euid = os.geteuid() if euid is None else euid
    if euid == 0:
        prefix = [apt_get]
    else:
        sudo = shutil.which("sudo", path=path)
        allowed = sudo and subprocess.run(
            [sudo, "-n", "true"], capture_output=True, env=environ, check=False
        )
        if not allowed or allowed.returncode != 0:
            return None
        prefix = [sudo, "-n", apt_get]
    return [
        [*prefix, "update", "-qq"],
        [*prefix, "install", "-y", "-qq", "--no-install-recommends", *packages],
    ]


def hint(tools: list[Tool]) -> str:
    """One line: what is missing, why it is needed, and the command that provides it."""
    where = "; ".join(
        f"{t.name}: {sys.executable} cannot import {t.module} ({t.why})"
        if t.module
        else f"{t.name}: no {t.library} for the dynamic loader ({t.why})"
        if t.library
        else f"{t.name}: {t.variable} unset, no {'/'.join(t.commands)} on PATH ({t.why})"
        for t in tools
    )
    variables = [t.variable for t in tools if t.variable]
    sudo = "" if os.geteuid() == 0 else "sudo "
    return (
        f"Missing {where}. Run `{sudo}apt-get install -y {' '.join(t.package for t in tools)}`"
        + (f" or set {' / '.join(variables)}." if variables else ".")
    )


def provide(names: list[str], environ: dict[str, str] | None = None) -> dict[str, str]:
    """Each tool's executable, installing the missing ones; Missing if one cannot be had."""
    environ = dict(os.environ if environ is None else environ)
    found = {name: find(name, environ) for name in names}
    missing = [TOOLS[name] for name, path in found.items() if path is None]
    if missing:
        commands = install_command([tool.package for tool in missing], environ)
        if commands is None:
            raise Missing(hint(missing))
        print(f"Installing {', '.join(t.package for t in missing)}: {' '.join(commands[1])}")
        env = {**environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in commands:
            if subprocess.run(command, env=env, check=False).returncode != 0:
                raise Missing(f"`{' '.join(command)}` failed. " + hint(missing))
        for tool in missing:
            found[tool.name] = find(tool.name, environ)
            if found[tool.name] is None:
                raise Missing(f"Installed {tool.package}, still: " + hint([tool]))
    return found


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in TOOLS]
    if unknown or not argv:
        print(f"usage: python3 -m streamdocs.tools {{{','.join(TOOLS)}}}...", file=sys.stderr)
        return 2
    try:
        provide(argv)
    except Missing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
