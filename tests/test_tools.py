"""`make test` provisions the system tools its tests drive (streamdocs/tools.py).

Each case runs the provisioner as `make test` does, in a subprocess whose PATH is a
scratch folder: a machine without the tool, with a stand-in `apt-get` or none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from streamdocs import tools
from streamdocs.paths import ROOT


def run(*names: str, path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": str(path), **env}
    return subprocess.run(
        [sys.executable, "-m", "streamdocs.tools", *names],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=30,
    )


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_a_machine_without_chromium_stops_with_one_line_naming_the_command(tmp_path):
    result = run("chromium", "curl", path=tmp_path, INSTALL_TOOLS="no")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "apt-get install -y chromium curl" in lines[0]
    assert "CHROME_PATH" in lines[0]


def test_the_variable_comes_first_and_must_name_an_executable(tmp_path):
    mine = executable(tmp_path / "my-chrome")
    executable(tmp_path / "chromium")  # on PATH too: the variable wins
    assert tools.find("chromium", {"CHROME_PATH": str(mine), "PATH": str(tmp_path)}) == str(mine)
    result = run("chromium", path=tmp_path, CHROME_PATH=str(tmp_path / "absent"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"CHROME_PATH={tmp_path / 'absent'} is not an executable file: fix or unset it"
    )


def test_path_comes_second(tmp_path):
    chromium = executable(tmp_path / "chromium-browser")
    assert tools.find("chromium", {"PATH": str(tmp_path)}) == str(chromium)
    assert run("chromium", path=tmp_path).returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="installs with apt-get only as root")
def test_install_comes_third_with_one_update_and_one_install(tmp_path):
    log = tmp_path / "apt.log"
    # A stand-in apt-get that logs its arguments and "installs" each package on PATH.
    executable(
        tmp_path / "apt-get",
        f'#!/bin/sh\necho "$@" >> {log}\n'
        'if [ "$1" = install ]; then for p in "$@"; do case "$p" in -*|install) ;; '
        f'*) printf "#!/bin/sh\\n" > {tmp_path}/$p; /bin/chmod +x {tmp_path}/$p;; esac; done; fi\n',
    )
    result = run("chromium", "curl", path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium curl",
    ]
    assert (tmp_path / "chromium").exists()
    # Found now: a second run installs nothing.
    assert run("chromium", "curl", path=tmp_path).returncode == 0
    assert len(log.read_text().splitlines()) == 2


def test_a_failed_install_stops_with_the_command(tmp_path):
    executable(tmp_path / "apt-get", "#!/bin/sh\nexit 100\n")
    result = run("curl", path=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "apt-get install -y curl" in result.stderr


def test_without_root_only_passwordless_sudo_installs(tmp_path):
    executable(tmp_path / "apt-get")
    env = {"PATH": str(tmp_path)}
    assert tools.install_command(["nginx"], env, euid=1000) is None  # no sudo at all
    executable(tmp_path / "sudo", "#!/bin/sh\nexit 1\n")  # sudo -n wants a password
    assert tools.install_command(["nginx"], env, euid=1000) is None
    executable(tmp_path / "sudo")  # sudo -n allowed
    update, install = tools.install_command(["nginx"], env, euid=1000)
    assert update[:2] == [str(tmp_path / "sudo"), "-n"]
    assert install[-1] == "nginx"
    assert tools.install_command(["nginx"], {**env, "INSTALL_TOOLS": "no"}, euid=0) is None


def test_a_python_without_venv_gets_its_debian_package_named(monkeypatch):
    monkeypatch.setattr(tools.importlib.util, "find_spec", lambda name: None)
    assert tools.find("venv") is None
    with pytest.raises(tools.Missing) as missing:
        tools.provide(["venv"], {"PATH": "", "INSTALL_TOOLS": "no"})
    [line] = str(missing.value).splitlines()
    assert f"apt-get install -y python{sys.version_info[0]}.{sys.version_info[1]}-venv" in line


def test_a_missing_shared_library_is_named_by_its_package(monkeypatch):
    def no_library(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(tools.ctypes, "CDLL", no_library)
    assert tools.find("libatomic") is None
    with pytest.raises(tools.Missing, match=r"apt-get install -y libatomic1`\.$"):
        tools.provide(["libatomic"], {"PATH": "", "INSTALL_TOOLS": "no"})


def test_make_test_provisions_every_tool_the_suite_drives():
    makefile = (ROOT / "Makefile").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "streamdocs.tools $(TOOLS)" in makefile
    for name in ("chromium", "libatomic", "curl"):
        assert name in makefile.split("TOOLS :=")[1].splitlines()[0]
    assert "streamdocs.tools venv" in makefile, "make does not provision venv before using it"
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1].strip() in ("make test", "exec make test"), (
        ".ci/run must only run make test"
    )
    assert not any("apt-get" in line for line in commands), ".ci/run installs nothing itself"
