"""Every path the docs and configs name exists: no README row, page or comment points at a
file that moved or was never written."""

from __future__ import annotations

import re

from streamdocs.paths import ROOT, rel, tracked_files

# a path under one of the project's top folders, as prose and tables write it
PATH = re.compile(
    r"(?<![\w/.-])((?:streamdocs|tests|snippets|cassettes|docs|\.github)/[\w./-]*\w/?)"
)
PLACEHOLDER = re.compile(r"[A-Z]{3,}|<")  # cassettes/NAME.yaml, snippets/<name>.py
WRITTEN_FOR_READERS = (".md", ".yml", ".yaml", ".toml")


def test_every_named_path_exists():
    tracked = [rel(path) for path in tracked_files()]
    missing = []
    for name in tracked:
        if not (name.endswith(WRITTEN_FOR_READERS) or name == "Makefile"):
            continue
        if name.startswith(("cassettes/", "snippets/output/")):
            continue  # recorded data, not prose
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").split("\n"), 1):
            for match in PATH.finditer(line):
                path = match[1]
                if PLACEHOLDER.search(path) or (ROOT / path).exists():
                    continue
                missing.append(f"{name}:{number}: names {path}, which does not exist")
    assert not missing, "\n".join(missing)
