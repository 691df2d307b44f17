"""The `<!-- sdk:NAME -->` placeholders show what the installed SDK does.

streamdocs/markdown/sdk_facts.py (a Markdown extension) asks the SDK at build time;
these tests check its answers against the SDK by other means, and that the built
pages show them, so an SDK bump that changes a retried status, a default timeout,
the non-streaming limit or the error-code map changes the pages, or fails here.
"""

from __future__ import annotations

import re

import anthropic
import httpx2
import pytest
from markdown import Markdown

from streamdocs import BuildError
from streamdocs.markdown import sdk_facts as HOOK
from streamdocs.paths import DOCS
from streamdocs.sdk_internals import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ERROR_CLASSES,
    MODEL_NONSTREAMING_TOKENS,
)


def test_retried_statuses_are_the_sdks():
    client = anthropic.Anthropic(api_key="sk-ant-facts", base_url="http://127.0.0.1:9")
    retried = [s for s in range(400, 600) if client._should_retry(httpx2.Response(s))]
    assert retried == [408, 409, 429, *range(500, 600)], retried
    assert HOOK.VALUES["retried-statuses"]() == "408, 409, 429 and every status from 500 up"


def test_timeouts_and_retries_are_the_sdks():
    assert HOOK.VALUES["read-timeout"]() == f"{DEFAULT_TIMEOUT.read:,.0f}"
    assert HOOK.VALUES["connect-timeout"]() == f"{DEFAULT_TIMEOUT.connect:,.0f}"
    assert HOOK.VALUES["max-retries"]() == str(DEFAULT_MAX_RETRIES)


def test_nonstreaming_limit_is_where_the_sdk_starts_refusing():
    limit = HOOK.nonstreaming_limit()
    client = anthropic.Anthropic(api_key="sk-ant-facts")
    client._calculate_nonstreaming_timeout(limit, None)
    with pytest.raises(ValueError, match="Streaming is required"):
        client._calculate_nonstreaming_timeout(limit + 1, None)
    for model, cap in MODEL_NONSTREAMING_TOKENS.items():
        assert f"`{model}`" in HOOK.VALUES["nonstreaming-model-caps"]()
        with pytest.raises(ValueError):
            client._calculate_nonstreaming_timeout(cap + 1, cap)


def test_error_code_counts_are_the_sdks():
    with_code = [cls for (_, code), cls in ERROR_CLASSES.items() if code is not None]
    exported = [cls for cls in with_code if getattr(anthropic, cls.__name__, None) is cls]
    assert HOOK.VALUES["error-code-classes"]() == str(len(with_code))
    assert HOOK.VALUES["exported-error-code-classes"]() == str(len(exported))


def test_every_placeholder_on_the_pages_is_known():
    used = {
        (page.relative_to(DOCS).as_posix(), name)
        for page in sorted(DOCS.rglob("*.md"))
        for name in HOOK.PLACEHOLDER.findall(page.read_text(encoding="utf-8"))
    }
    assert used, "no page uses an <!-- sdk: --> placeholder: is the pattern still right?"
    unknown = sorted(f"docs/{page}: sdk:{name}" for page, name in used if name not in HOOK.VALUES)
    assert not unknown, unknown


def test_built_pages_show_the_sdks_values(built_site):
    for page, name in [
        ("when-not-to-stream", "nonstreaming-max-tokens"),
        ("troubleshooting/errors", "retried-statuses"),
        ("reference/exceptions", "error-code-classes"),
    ]:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert HOOK.VALUES[name]() in html, f"built {page} does not show sdk:{name}"
    for path in [*built_site.rglob("*.html"), built_site / "llms-full.txt"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(<|&lt;)!-- (sdk|version):", text), f"{path}: placeholder left"


def test_the_extension_fills_a_page_and_rejects_an_unknown_placeholder():
    md = Markdown(extensions=["streamdocs.markdown.sdk_facts"])
    html = md.convert("Retries: <!-- sdk:max-retries -->.")
    assert html == f"<p>Retries: {DEFAULT_MAX_RETRIES}.</p>", html
    with pytest.raises(BuildError, match=r"unknown placeholder `sdk:nope` \(known: max-retries"):
        Markdown(extensions=["streamdocs.markdown.sdk_facts"]).convert("<!-- sdk:nope -->")
    with pytest.raises(BuildError, match=r"docs/index\.md: unknown placeholder `sdk:nope`"):
        HOOK.fill("<!-- sdk:nope -->", "docs/index.md: ")
