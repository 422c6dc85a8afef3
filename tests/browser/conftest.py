"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

The browser is the distribution's, never one Playwright downloads: the machines reach no browser CDN. Tests here
are marked `browser`; they are skipped, with the reason, only where /usr/bin/chromium is missing (CI installs it).
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# (Importing the harness also allows the ORM beside Playwright's event loop: DJANGO_ALLOW_ASYNC_UNSAFE.)
from tests.browser.harness import ARTIFACTS, CSP_VIOLATIONS, DESKTOP, launch, needs_chromium, sign_in
from tests.browser.harness import new_page as open_page


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium per test module: Playwright's event loop stops when the module's tests are done."""
    needs_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context: `new_page(viewport=PHONE, locale="zh-CN", mobile=True)`."""
    contexts = []

    def make(*, viewport=DESKTOP, locale="zh-CN", mobile=False):
        page = open_page(browser, viewport=viewport, locale=locale, mobile=mobile)
        contexts.append(page.context)
        return page

    CSP_VIOLATIONS.clear()
    yield make
    for context in contexts:
        context.close()
    assert not CSP_VIOLATIONS, f"the Content-Security-Policy blocked: {CSP_VIOLATIONS}"


@pytest.fixture
def shot(request):
    """Save a full-page screenshot under test-artifacts/<test name>-<label>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.name)

    def save(page, label: str) -> Path:
        path = ARTIFACTS / f"{stem}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def log_in(live_server):
    """Sign in through the real login form, as a person would, and wait for the home page."""
    from tests.world import PASSWORD

    def do(page, username: str, password: str = PASSWORD):
        return sign_in(page, live_server.url, username, password)

    return do
