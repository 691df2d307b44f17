"""`make serve`: `mkdocs serve`, keeping between rebuilds what a rebuild cannot change.

MkDocs rebuilds the whole site on every save, reloading its config and plugins, so two
costs came back on every save (`make bench`, rebuild ~3 s before, target 2 s):
- the theme's ~70 Jinja templates, compiled again in a fresh environment (~0.5 s). Every
  environment now shares one in-memory bytecode cache; Jinja keys it on the template's
  source, so an edited template is compiled again.
- the API reference's reading of the SDK by griffe (~0.8 s). Every mkdocstrings Python
  handler now shares one collection of loaded modules; the installed SDK does not change
  while `make serve` runs (restart it after `make lock`).
- noticing the save: MkDocs polls the watched folders every 0.5 s; here every 0.1 s (a
  scan of a few hundred files).
Builds (`make build`, the tests, Zensical) are untouched: this module is only ever the
entry point of `make serve`.

    python -m streamdocs.site.serve [mkdocs serve options]
"""

from __future__ import annotations

import sys

import jinja2
from jinja2.bccache import Bucket, BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates kept in this process, keyed by name and source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def share_compiled_templates() -> None:
    """Every Jinja environment made from now on in this process uses one cache."""
    cache = MemoryBytecodeCache()
    init = jinja2.Environment.__init__

    def with_cache(self, *args, **kwargs) -> None:
        kwargs.setdefault("bytecode_cache", cache)
        init(self, *args, **kwargs)

    jinja2.Environment.__init__ = with_cache


def share_loaded_modules() -> None:
    """Every mkdocstrings Python handler made from now on shares what griffe loaded."""
    from griffe import LinesCollection, ModulesCollection
    from mkdocstrings_handlers.python import PythonHandler

    modules, lines = ModulesCollection(), LinesCollection()
    init = PythonHandler.__init__

    def sharing(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self._modules_collection, self._lines_collection = modules, lines

    PythonHandler.__init__ = sharing


def poll_often(seconds: float = 0.1) -> None:
    from mkdocs.livereload import LiveReloadServer

    init = LiveReloadServer.__init__

    def polling(self, *args, **kwargs) -> None:
        kwargs.setdefault("polling_interval", seconds)
        init(self, *args, **kwargs)

    LiveReloadServer.__init__ = polling


def main(argv: list[str]) -> int:
    share_compiled_templates()
    share_loaded_modules()
    poll_often()
    from mkdocs.__main__ import cli

    return cli(["serve", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
