"""The one environment isolation: what a sample run sees of this machine's environment.

Only the ANTHROPIC_* variables a run defines, and an empty HOME, so a writer's own key,
base URL or SDK profile on disk (`~/.config/anthropic/`) never reaches a run or a
recording, and a run without a key finds no credential at all, as on a new machine.

ANTHROPIC_CONFIG_DIR is removed, not pointed at an empty folder: the SDK reads a set
config dir as the user's own choice and raises CredentialsError when it holds no profile,
which a reader on a new machine never sees. Under an empty HOME its default
(`~/.config/anthropic/`) holds nothing, which is what a new machine has.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def overlay(values: dict[str, str | None], home: Path | str) -> dict[str, str | None]:
    """The changes to apply: every ANTHROPIC_* removed (None), HOME set, then `values`
    (None removes a variable)."""
    changes: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith("ANTHROPIC_")
    }
    changes["HOME"] = str(home)
    changes.update(values)
    return changes


def apply(changes: dict[str, str | None], setenv, delenv) -> None:
    for name, value in changes.items():
        if value is None:
            delenv(name)
        else:
            setenv(name, value)


@contextlib.contextmanager
def isolated(**values: str | None) -> Iterator[None]:
    """os.environ as `overlay` makes it, for code outside pytest's monkeypatch; restored."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory() as home:
        apply(overlay(values, home), os.environ.__setitem__, lambda n: os.environ.pop(n, None))
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)
