"""The spelling and secret checks of .pre-commit-config.yaml run in `make test` too.

Each hook runs as pre-commit would run it on every tracked file: its `entry` and
`args`, on the files its `exclude` and `types` leave, with the version its
`additional_dependencies` pins, which must be the one requirements.lock installs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from streamdocs.paths import ROOT, tracked_files

CONFIG = ROOT / ".pre-commit-config.yaml"
CHECKS = ("codespell", "detect-secrets")


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def is_text(path: Path) -> bool:
    return path.is_file() and b"\0" not in path.read_bytes()[:8192]


def files_for(hook: dict, root: Path, files: list[Path]) -> list[str]:
    exclude = re.compile(hook["exclude"]) if "exclude" in hook else None
    chosen = []
    for path in files:
        name = path.relative_to(root).as_posix()
        if exclude and exclude.search(name):
            continue
        if "text" in hook.get("types", []) and not is_text(path):
            continue
        chosen.append(name)
    return chosen


def run_hook(hook: dict, root: Path, files: list[str]) -> subprocess.CompletedProcess:
    """The hook's command from .venv/bin (where the lock installed it) on these files, in
    four parts at once, as pre-commit splits a hook's files across processes; one result:
    the worst exit code, every part's output."""
    [command, *entry_args] = hook["entry"].split()
    executable = Path(sys.executable).parent / command
    assert executable.exists(), f"{command} is not installed: pin it in pyproject.toml"

    def part(chunk: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(executable), *entry_args, *hook.get("args", []), *chunk],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )

    chunks = [files[n::4] for n in range(4) if files[n::4]]
    with ThreadPoolExecutor(len(chunks)) as parts:
        results = list(parts.map(part, chunks))
    return subprocess.CompletedProcess(
        results[0].args,
        max(r.returncode for r in results),
        "".join(r.stdout for r in results),
        "".join(r.stderr for r in results),
    )


@pytest.mark.parametrize("hook_id", CHECKS)
def test_hook_pins_the_version_the_lock_installs(hook_id):
    hook = hooks()[hook_id]
    [pin] = hook["additional_dependencies"]
    name, wanted = pin.split("==")
    assert version(name) == wanted, (
        f".pre-commit-config.yaml pins {pin}, the lock installs {version(name)}: "
        "make them agree (pyproject.toml, then `make lock`)"
    )


@pytest.mark.parametrize("hook_id", CHECKS)
def test_tracked_files_pass_the_hook(hook_id):
    hook = hooks()[hook_id]
    files = files_for(hook, ROOT, tracked_files())
    assert len(files) > 50, "the hook would check almost nothing: is this a clone?"
    result = run_hook(hook, ROOT, files)
    assert result.returncode == 0, (
        f"{hook['name']} found problems (fix them; a recorded answer's typo is fixed in "
        f"streamdocs/emulator/scenarios/, then `make record`):\n{result.stdout}{result.stderr}"
    )


# Split here so this file passes the very checks it plants them for.
PLANTED = {
    "codespell": "The stream is " + "recie" + "ved in chunks.\n",
    # A private-key header: one of detect-secrets' own plugins, not a key format of ours.
    "detect-secrets": "-----BEGIN RSA " + "PRIVATE KEY-----\n",
}


@pytest.mark.parametrize("hook_id", CHECKS)
def test_the_hook_fails_on_a_planted_mistake(hook_id, tmp_path):
    (tmp_path / "planted.md").write_text(PLANTED[hook_id])
    result = run_hook(hooks()[hook_id], tmp_path, ["planted.md"])
    assert result.returncode != 0, f"{hook_id} let this through: {PLANTED[hook_id]!r}"
    assert "planted.md" in result.stdout + result.stderr
