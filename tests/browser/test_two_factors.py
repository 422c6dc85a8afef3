"""An administrator's first sign-in in Chromium: the password, then the enrolment page's QR code and secret, a
code computed from the secret the page shows (as an authenticator app would), the recovery codes, the admin."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.harness import DESKTOP
from tests.world import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_enrols_and_reaches_the_admin(world, live_server, new_page, shot):
    admin_user = make_user("first_admin", world.tenants["A"], is_staff=True, is_tenant_admin=True)
    page = new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/accounts/two-factors/enrol/**")
    expect(page.locator("h1")).to_have_text("设置双因子登录")
    qr = page.get_by_test_id("otp-qr").locator("svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150  # large enough to scan
    shot(page, "enrol")

    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    code = TOTP(base64.b32decode(secret)).token()
    page.get_by_test_id("otp-code").fill(f"{code:06d}")
    page.get_by_test_id("otp-submit").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    shot(page, "recovery-codes")
    page.get_by_role("link", name="继续").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("e网清")
