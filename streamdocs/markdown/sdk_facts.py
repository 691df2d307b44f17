"""Markdown extension: fill `<!-- sdk:NAME -->` placeholders with what the installed SDK does.

The numbers the pages state about the SDK's behaviour (which statuses it
retries, its default timeouts, when it refuses a non-streaming request, how
many error-code classes it maps) are asked of the SDK at build time, mostly by
calling the code that decides rather than reading constants, so an SDK bump
that changes one changes the page. An unknown name fails the build by page
and name. tests/test_sdk_facts.py checks the built pages show them.
"""

from __future__ import annotations

import anthropic
import httpx2

from streamdocs.markdown import Placeholders
from streamdocs.sdk_internals import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ERROR_CLASSES,
    MODEL_NONSTREAMING_TOKENS,
)

_CLIENT = anthropic.Anthropic(api_key="placeholder", base_url="http://127.0.0.1:9")


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def retried_statuses() -> list[int]:
    """Every status from 400 to 999 the SDK retries when no `x-should-retry` header says."""
    return [s for s in range(400, 1000) if _CLIENT._should_retry(httpx2.Response(s))]


def retried_statuses_text() -> str:
    """`408, 409, 429 and every status from 500 up`, from the SDK's own decision."""
    statuses = retried_statuses()
    runs: list[list[int]] = []
    for status in statuses:
        if runs and status == runs[-1][-1] + 1:
            runs[-1].append(status)
        else:
            runs.append([status])
    parts = []
    for run in runs:
        if run[-1] == 999:
            parts.append(f"every status from {run[0]} up")
        elif len(run) <= 2:
            parts.extend(str(status) for status in run)
        else:
            parts.append(f"{run[0]}–{run[-1]}")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def nonstreaming_limit() -> int:
    """The largest `max_tokens` the SDK lets a non-streaming request ask for (no model cap)."""
    low, high = 1, 10_000_000
    while low < high:
        middle = (low + high + 1) // 2
        try:
            _CLIENT._calculate_nonstreaming_timeout(middle, None)
            low = middle
        except ValueError:
            high = middle - 1
    return low


def nonstreaming_minutes() -> str:
    return _number(_CLIENT._calculate_nonstreaming_timeout(1, None).read / 60)


def nonstreaming_model_caps() -> str:
    """`8,192 for `claude-opus-4-0`, ...` from MODEL_NONSTREAMING_TOKENS."""
    by_cap: dict[int, list[str]] = {}
    for model, cap in MODEL_NONSTREAMING_TOKENS.items():
        by_cap.setdefault(cap, []).append(f"`{model}`")
    if not by_cap:
        return "none"
    return "; ".join(f"{_number(cap)} for {', '.join(models)}" for cap, models in by_cap.items())


def exported_error_code_classes() -> int:
    return sum(
        1
        for (_, code), cls in ERROR_CLASSES.items()
        if code is not None and getattr(anthropic, cls.__name__, None) is cls
    )


VALUES = {
    "max-retries": lambda: str(DEFAULT_MAX_RETRIES),
    "read-timeout": lambda: _number(DEFAULT_TIMEOUT.read),
    "connect-timeout": lambda: _number(DEFAULT_TIMEOUT.connect),
    "retried-statuses": retried_statuses_text,
    "nonstreaming-max-tokens": lambda: _number(nonstreaming_limit()),
    "nonstreaming-minutes": nonstreaming_minutes,
    "nonstreaming-model-caps": nonstreaming_model_caps,
    "error-code-classes": lambda: str(sum(1 for _, code in ERROR_CLASSES if code is not None)),
    "exported-error-code-classes": lambda: str(exported_error_code_classes()),
}


PLACEHOLDERS = Placeholders("sdk", VALUES)
PLACEHOLDER = PLACEHOLDERS.pattern
fill = PLACEHOLDERS.fill


def makeExtension(**kwargs):
    return PLACEHOLDERS.extension(**kwargs)
