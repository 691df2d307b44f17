"""The recovery sample's list of models that take a prefill is the models table's, less the
ids the SDK deprecates (C4): recover.md says the sample "keeps the short list of those that
do and that the SDK has not deprecated", and names the one it leaves out."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from anthropic.resources.messages.messages import DEPRECATED_MODELS

from streamdocs.emulator import models
from streamdocs.paths import SNIPPETS
from tests.sdk_claims import says


def prefill_models(sample: Path) -> tuple[str, ...]:
    text = sample.read_text(encoding="utf-8")
    if sample.suffix == ".ts":
        found = re.search(r"^const PREFILL_MODELS = (\[.*?\]);", text, re.M | re.S)
        assert found, f"{sample.name} no longer sets PREFILL_MODELS"
        return tuple(json.loads(found[1]))
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PREFILL_MODELS":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{sample.name} no longer sets PREFILL_MODELS")


@pytest.mark.parametrize("sample", ["recover_stream.py", "ts/recover_stream.ts"])
def test_the_sample_asks_for_a_prefill_exactly_where_the_table_allows_one(sample):
    path = SNIPPETS / sample
    listed = prefill_models(path)
    wrong = {
        model: models.facts(model).prefill
        for model in sorted(set(models.known()) - set(DEPRECATED_MODELS))
        if model.startswith(listed) != models.facts(model).prefill
    }
    assert not wrong, (
        f"{path.name}'s PREFILL_MODELS {listed} disagrees with the models table "
        f"(streamdocs/emulator/models.yaml) on these ids (prefill per the table): {wrong}"
    )
    left_out = {
        models.facts(m).name
        for m in set(models.known()) & set(DEPRECATED_MODELS)
        if models.facts(m).prefill
    }
    for name in sorted(left_out):
        says("guides/recover.md", f"{name} takes one too")
