"""What every browser test shares: Debian's Chromium, the viewports, signing in through the login form, and a
Chromium run in a thread of its own.

Playwright's sync API allows one running instance per thread, and tests/browser keeps its module-wide browser
open in the main thread; tests elsewhere (events, assessment) that need committed rows and a live server drive
their own Chromium with `with_chromium`, from a thread of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.threads import run_in_thread
from tests.world import PASSWORD

# Playwright's sync API runs an event loop in the thread that drives it; the ORM calls the tests make around it
# (there, or in the live server's thread) are safe. Set on import, so every module that drives Chromium has it.
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


def needs_chromium() -> None:
    """Skip, with the reason, where Debian's Chromium is missing (CI installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei (CI installs both)")
    ARTIFACTS.mkdir(exist_ok=True)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


# What Chromium refused under the Content-Security-Policy during the current flow (with_chromium fails on any).
CSP_VIOLATIONS: list[str] = []


def _watch_console(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(message.text[:300])


def new_page(chromium, *, viewport=DESKTOP, locale="zh-CN", mobile=False):
    """A page in a fresh browser context (its own cookies and storage); what the CSP blocks on it is recorded."""
    context = chromium.new_context(
        viewport=viewport, locale=locale, is_mobile=mobile, has_touch=mobile, device_scale_factor=1
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", _watch_console)
    return page


def sign_in(page, base_url: str, username: str, password: str = PASSWORD):
    """Sign in through the real login form, as a person would, and wait for the home page. An administrator (who
    owes a second factor) types the code of an authenticator enrolled for them beforehand (tests/two_factors.py),
    computed from its secret as the app on their phone would."""
    from grids.accounts import two_factors
    from grids.models import User
    from tests.two_factors import code_for, enrolled

    user = User.objects.get(username=username)
    device = enrolled(user) if two_factors.needs_two_factors(user) else None
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    if device is not None:
        page.wait_for_url("**/accounts/two-factors/**")
        page.get_by_test_id("otp-code").fill(code_for(device))
        page.get_by_test_id("otp-submit").click()
    page.wait_for_url(f"{base_url}/")
    return page


def with_chromium(flow, *, timeout: int = 300) -> None:
    """Run `flow(chromium)` with a Chromium of its own, in a thread of its own; its failure is raised here."""
    needs_chromium()
    from playwright.sync_api import sync_playwright

    def run():
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            CSP_VIOLATIONS.clear()
            try:
                flow(chromium)
            finally:
                chromium.close()
            assert not CSP_VIOLATIONS, f"the Content-Security-Policy blocked: {CSP_VIOLATIONS}"

    run_in_thread(run, timeout=timeout)


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from npm


def axe_findings(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA findings on the page as it stands, of the given impacts: [{id, impact, nodes}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the test's driver, not added as a <script>: the page's Content-Security-Policy refuses inline
        # script (as it should), and axe is the test's tool, not the page's.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
        'wcag21aa']}})).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return [finding for finding in result if finding["impact"] in impacts]
