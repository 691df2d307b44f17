"""Truth read 4, D13 and D14: what the request-parameters page says of `max_tokens` and
`speed` follows the SDK's own docstrings of those fields."""

from __future__ import annotations

import inspect

from anthropic.types import message_create_params

from tests.sdk_claims import never_says, says

PAGE = "reference/request-parameters.md"
SOURCE = " ".join(inspect.getsource(message_create_params).split())


def test_max_tokens_bounds_each_call_of_the_model():
    """D13: with server tools usage.output_tokens can exceed max_tokens."""
    assert "The limit applies to each call to the requested model." in SOURCE
    assert "so `usage.output_tokens` can exceed `max_tokens`" in SOURCE
    never_says(PAGE, "Upper bound on generated tokens; the model may stop sooner.")
    says(PAGE, "A request with server tools can call the model more than once")


def test_fast_speed_may_need_its_beta_header():
    """D14: the docstring names the beta header some models need with speed "fast"."""
    header = "fast-mode-2026-02-01"
    assert f"Some models require the `{header}` beta header" in SOURCE
    says(PAGE, f"some of which need the `{header}` beta header")
