"""The house rules of the layout: `tests/` holds tests, the machinery lives in `streamdocs/`."""

from __future__ import annotations

import re

from streamdocs.paths import ROOT, rel

TESTS = ROOT / "tests"
BUDGET = 300  # lines of fixtures and shared assertions; more means machinery moved back in


def test_tests_hold_only_small_fixtures():
    helpers = [p for p in TESTS.rglob("*.py") if not p.name.startswith("test_")]
    lines = {rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in helpers}
    assert sum(lines.values()) <= BUDGET, (
        f"{sum(lines.values())} lines of non-test Python under tests/ (at most {BUDGET}): "
        f"{lines}. Move what is machinery (an HTTP client, a parser, a server) into "
        "streamdocs/ and import it."
    )


def test_no_test_file_imports_another():
    importing = {
        rel(path): found
        for path in TESTS.rglob("test_*.py")
        if (found := re.findall(r"^from tests\S*\.test_\w+ import|^import tests\S*\.test_\w+",
                                path.read_text(encoding="utf-8"), re.MULTILINE))
    }  # fmt: skip
    assert not importing, (
        f"test files import other test files: {importing}; share through streamdocs/ or a "
        "package's __init__.py instead"
    )
