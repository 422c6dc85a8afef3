"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

The browser is the distribution's, never one Playwright downloads: the machines reach no browser CDN. Tests here
are marked `browser`; they are skipped, with the reason, only where /usr/bin/chromium is missing (CI installs it).
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium per test module: Playwright's event loop stops when the module's tests are done."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei (CI installs both)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context: `new_page(viewport=PHONE, locale="zh-CN", mobile=True)`."""
    contexts = []

    def make(*, viewport=DESKTOP, locale="zh-CN", mobile=False):
        context = browser.new_context(
            viewport=viewport, locale=locale, is_mobile=mobile, has_touch=mobile, device_scale_factor=1
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


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
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
