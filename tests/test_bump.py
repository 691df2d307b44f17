"""`make lock UPGRADE=NAME` moves one exact pin (streamdocs/lock.py); no index is asked here."""

from __future__ import annotations

from streamdocs import lock as bump
from streamdocs.paths import ROOT

PYPROJECT = """[project]
dependencies = [
    "anthropic==2.14.0",
    "mkdocstrings[python]==1.0.8",
    "pymdown-extensions>=10.14",
    "coverage==7.*",
]
"""


def test_set_pin_changes_only_that_package():
    text = bump.set_pin(PYPROJECT, "anthropic", "2.15.0")
    assert text == PYPROJECT.replace("anthropic==2.14.0", "anthropic==2.15.0")
    assert bump.pinned(PYPROJECT, "mkdocstrings") == "1.0.8"  # extras allowed
    assert bump.pinned(PYPROJECT, "pymdown_extensions") is None  # a range: left to the resolver
    assert bump.pinned(PYPROJECT, "coverage") is None


def test_pips_answer_is_read():
    output = "anthropic (2.15.0)\nAvailable versions: 2.15.0, 2.14.0\n"
    assert bump.newest_from_index_output(output, "anthropic") == "2.15.0"


def test_main_rewrites_the_file_and_says_so(tmp_path, capsys):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    assert bump.main(["anthropic", "2.15.0"], pyproject) == 0
    assert '"anthropic==2.15.0"' in pyproject.read_text()
    assert "2.14.0 -> 2.15.0" in capsys.readouterr().out
    assert bump.main(["anthropic", "2.15.0"], pyproject) == 0
    assert "is the newest" in capsys.readouterr().out


def test_the_real_pyproject_pins_anthropic_exactly():
    assert bump.pinned((ROOT / "pyproject.toml").read_text(), "anthropic")
