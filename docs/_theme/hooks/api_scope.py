"""Build hook: mkdocstrings' loader (griffe) reads only the parts of the SDK the pages use.

griffe loads a package with every submodule. For anthropic that is about 3,200
modules, and `types.beta`, `resources.beta` and the organization APIs are about
2,400 of them that no API page documents: reading them was the largest part of a
strict build (`make bench`). They are skipped here. A page that documents an
object under one of them must take that prefix out of SKIPPED; then the strict
build resolves it again.

griffe has no option for this, so the hook wraps its loader's submodule loop
(GriffeLoader._load_submodules, griffelib 2.4); tests/test_site_facts.py fails if
that method goes away or the skip stops skipping.
"""

from __future__ import annotations

from griffe import GriffeLoader

SKIPPED = {
    "anthropic": (
        ("types", "beta"),
        ("resources", "beta"),
        ("types", "organization"),
        ("resources", "organization"),
    ),
}

_load_submodules = GriffeLoader._load_submodules


def _skipped(package: str, subparts: tuple[str, ...]) -> bool:
    return any(subparts[: len(prefix)] == prefix for prefix in SKIPPED.get(package, ()))


def _load_wanted_submodules(self, module) -> None:
    if module.path not in SKIPPED:
        _load_submodules(self, module)
        return
    for subparts, subpath in self.finder.submodules(module):
        if not _skipped(module.path, subparts):
            self._load_submodule(module, subparts, subpath)


def on_startup(command, dirty):
    GriffeLoader._load_submodules = _load_wanted_submodules
