"""Truth read 4, D9 and D10: what the answer-matrix page says the generated faults are is
what `streamdocs/samples/variants.py` generates (no sample run here)."""

from __future__ import annotations

from streamdocs.samples import matrix, variants
from tests.sdk_claims import says

PAGE = "reference/answer-matrix.md"


def test_the_answers_name_three_models_other_than_the_one_asked_for():
    """D9: "three other model ids": the sample's own model is not one of them."""
    own = []
    for sample in matrix.samples(typescript=True):
        if sample.request.get("stream") is not True:
            continue
        named = [v.fault.model for v in variants.generate(sample) if v.fault and v.fault.model]
        assert len(set(named)) == 3, f"{sample.name}: the answers name {named}"
        own += [sample.name for model in named if model == sample.request.get("model")]
    assert not own, f"the answer names the model these samples ask for: {own}"
    says(PAGE, "three other model ids of the SDK's list named by the answer")


def test_the_cuts_inside_an_event_come_both_ways_as_the_page_says():
    """D10: each cut inside a character, a partial_json or a thinking text comes twice, the
    connection dropped and the body ended cleanly (where the Python SDK raises
    UnicodeDecodeError, D1), and the page says so."""
    inside = [
        (v.label.split(" inside ")[1], v.fault.abrupt)
        for sample in matrix.samples(typescript=True)
        for v in variants.generate(sample, likeliest=False)
        if v.kind == "cut" and v.label.startswith(("dropped inside", "ended cleanly inside"))
    ]
    dropped = {where for where, abrupt in inside if abrupt}
    clean = {where for where, abrupt in inside if not abrupt}
    assert dropped and dropped == clean, f"only one way: {dropped ^ clean}"
    says(
        PAGE,
        "inside the first non-ASCII character of the text (after each of its bytes but the "
        "last), inside the first `partial_json` and the first thinking text, each both ways",
    )


def test_the_page_counts_the_credential_sources_the_runs_try():
    """The page says how many sources are tried, and which it does not try yet."""
    sources = [name for name, setup in variants.CREDENTIALS.items() if setup]
    words = {7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    says(PAGE, f"**Credentials**: {words[len(sources)]} sources the SDK reads")
    tried = " ".join(sources)
    for untried in ("active_config", "user_oauth"):
        assert untried not in tried, f"{untried} is tried now: update {PAGE}"
    says(PAGE, "Not tried yet: an `active_config` file", "and a `user_oauth` profile")
