"""Markdown extension: mkdocstrings' loader (griffe) reads only the parts of the SDK the pages use.

griffe loads a package with every submodule. For anthropic that is about 3,200
modules, and the API pages document objects from a handful (`_exceptions`,
`lib.streaming`, `resources.messages`, and what they import). Reading the rest,
above all the ~2,300 modules of `types` (the Reference tables are checked against
the types by introspection, not through griffe), was most of a strict build:
9-11 s before, under 4 s after (`make bench`). The prefixes below are skipped; a
signature that names a skipped type still renders it, as plain text, as before.
A page that documents an object under one of them must take that prefix out of
SKIPPED (tests/test_site_facts.py says which); the strict build then finds it.

griffe has no option for this, so this module wraps its loader's submodule loop
(GriffeLoader._load_submodules, griffelib 2.4); tests/test_site_facts.py fails if
that method goes away or the skip stops skipping.

It changes no Markdown: it is an extension only because both MkDocs and Zensical
load every extension listed in mkdocs.yml before the first page renders, and so
before mkdocstrings asks griffe for anything (`:::` blocks are rendered inside
page conversion). Listing it under `markdown_extensions:` is what turns it on.
"""

from __future__ import annotations

from griffe import GriffeLoader
from markdown import Extension, Markdown

SKIPPED = {
    "anthropic": (
        ("types",),
        ("resources", "beta"),
        ("resources", "organization"),
        ("lib", "tools"),
        ("lib", "bedrock"),
        ("lib", "vertex"),
        ("lib", "aws"),
        ("lib", "google_cloud"),
        ("_vendor",),
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


def scope_griffe() -> None:
    """Make griffe skip SKIPPED from now on in this process (idempotent)."""
    GriffeLoader._load_submodules = _load_wanted_submodules


class ApiScopeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        scope_griffe()


def makeExtension(**kwargs) -> ApiScopeExtension:
    return ApiScopeExtension(**kwargs)
