"""One Chromium and one loopback server for every browser test of the built site."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from streamdocs.browser import visit
from streamdocs.browser.chromium import DESKTOP, launch
from streamdocs.browser.server import SiteServer, pages


@pytest.fixture(scope="package")
def site_url(built_site):
    """The strict build, served gzip-compressed on 127.0.0.1."""
    with SiteServer(built_site) as server:
        yield server.url


# Package scope, not session: Playwright's sync API keeps an asyncio loop
# running in this thread while it is open, which would break asyncio.run() in
# the tests that follow. It closes when the last browser test is done.
@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh profile per test (no stored palette), light scheme, laptop size."""
    context = browser.new_context(color_scheme="light", viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture
def page(context, site_url):
    return visit.watched(context.new_page(), site_url)


@pytest.fixture(scope="package")
def laptop_visits(browser, site_url, built_site) -> dict[str, visit.Visit]:
    """Every built page visited once at laptop size: path -> what it showed."""
    context = browser.new_context(color_scheme="light", viewport=DESKTOP)
    try:
        page = visit.watched(context.new_page(), site_url)
        return {path: visit.visit(page, site_url + path) for path in pages(built_site)}
    finally:
        context.close()
