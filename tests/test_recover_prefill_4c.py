"""The recovery sample's list of models that take a prefill is the models table's (C4):
recover.md says the sample "keeps the short list of those that do"."""

from __future__ import annotations

import ast

from streamdocs.emulator import models
from streamdocs.paths import SNIPPETS

SAMPLE = SNIPPETS / "recover_stream.py"


def prefill_models() -> tuple[str, ...]:
    tree = ast.parse(SAMPLE.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PREFILL_MODELS":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{SAMPLE.name} no longer sets PREFILL_MODELS")


def test_the_sample_asks_for_a_prefill_exactly_where_the_table_allows_one():
    listed = prefill_models()
    wrong = {
        model: models.facts(model).prefill
        for model in sorted(models.SDK_MODELS)
        if model.startswith(listed) != models.facts(model).prefill
    }
    assert not wrong, (
        f"{SAMPLE.name}'s PREFILL_MODELS {listed} disagrees with the models table "
        f"(streamdocs/emulator/models.yaml) on these ids (prefill per the table): {wrong}"
    )
