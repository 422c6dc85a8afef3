"""Two factors (TOTP, django-otp): who needs them, the sign-in step, enrolment, recovery codes, the admin gate, the
token endpoint and the reset. Codes are computed from each device's secret (tests.two_factors.code_for)."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from grids.accounts import two_factor_services
from grids.accounts.models import RecoveryCode, RecoveryCodeDevice
from grids.models import Tenant
from tests.two_factors import code_for, enrolled
from tests.world import PASSWORD, make_user

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:two-factors-verify")
ENROL = reverse("accounts:two-factors-enrol")


def password_only(user) -> Client:
    """Signed in through the sign-in page with the password: the first factor only."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def test_an_admin_gives_the_code_after_the_password_before_any_admin_page(world):
    admin_user = world.user("A:admin")
    device = enrolled(admin_user)
    client = password_only(admin_user)
    for path in ("/admin/", reverse("admin:grids_gridnode_changelist"), "/admin/login/", "/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY + "?next=")
    page = client.get(VERIFY, {"next": "/admin/"})
    assert page.status_code == 200
    wrong = client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    # A wrong code slows the device down (django-otp's throttling): even the right code waits a moment.
    assert client.post(VERIFY, {"code": code_for(device), "next": "/admin/"}).status_code == 400
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=a_minute_ago)
    right = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:grids_gridnode_changelist")).status_code == 200


def test_the_admin_site_itself_refuses_a_session_without_the_second_factor(world):
    """The second lock, should the middleware ever be left out: the admin site's own permission check."""
    request = RequestFactory().get("/admin/")
    request.session = {}
    request.user = world.user("A:admin")
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_an_admin_without_an_authenticator_enrols_with_a_qr_code(world):
    admin_user = make_user("new_admin", world.tenants["A"], is_staff=True, is_tenant_admin=True)
    client = password_only(admin_user)
    response = client.get("/admin/")
    assert response["Location"].startswith(ENROL + "?next=")
    page = client.get(ENROL, {"next": "/admin/"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'data-testid="otp-secret"' in body
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    assert client.post(ENROL, {"code": "12", "next": "/admin/"}).status_code == 400
    done = client.post(ENROL, {"code": code_for(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    device.refresh_from_db()
    assert device.confirmed
    stored = list(RecoveryCode.objects.filter(device__user=admin_user).values_list("digest", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert client.get("/admin/").status_code == 200  # enrolling verified this session
    assert client.get(ENROL).status_code == 302  # enrolled: no second enrolment over the first


def test_a_recovery_code_signs_in_once(world):
    admin_user = world.user("B:admin")
    enrolled(admin_user)
    codes = two_factor_services.new_recovery_codes(user=admin_user)
    first = password_only(admin_user)
    response = first.post(VERIFY, {"code": codes[3].upper().replace("-", " "), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    again = password_only(admin_user)
    assert again.post(VERIFY, {"code": codes[3]}).status_code == 400
    assert RecoveryCodeDevice.objects.get(user=admin_user).remaining() == 9


def test_a_totp_code_is_accepted_once(world):
    user = world.user("A:admin")
    device = enrolled(user)
    code = code_for(device)
    assert two_factor_services.verify_code(user=user, code=code) is not None
    assert two_factor_services.verify_code(user=user, code=code) is None


def test_the_api_refuses_a_session_that_owes_the_code(world):
    admin_user = world.user("A:admin")
    enrolled(admin_user)
    response = password_only(admin_user).get("/api/v1/nodes/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factors_required"


def test_the_token_endpoint_asks_administrators_for_a_code(world):
    url = reverse("api-token")
    admin_user = world.user("A:admin")
    client = Client()
    assert client.post(url, {"username": admin_user.username, "password": PASSWORD}).status_code == 403  # not set up
    device = enrolled(admin_user)
    missing = client.post(url, {"username": admin_user.username, "password": PASSWORD})
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = client.post(url, {"username": admin_user.username, "password": PASSWORD, "otp": "abc"})
    assert wrong.status_code == 400 and "otp" in wrong.json()
    right = client.post(url, {"username": admin_user.username, "password": PASSWORD, "otp": code_for(device)})
    assert right.status_code == 200 and right.json()["token"]
    worker = world.user("A/S1/C1/G1:grid_worker")
    assert client.post(url, {"username": worker.username, "password": PASSWORD}).status_code == 200


def test_officers_need_two_factors_only_where_their_tenant_says_so(world):
    officer, worker = world.user("A/S1:grid_head"), world.user("A/S1/C1/G1:grid_worker")
    other_officer = world.user("B/S1:grid_head")
    assert password_only(officer).get("/").status_code == 200  # off by default
    Tenant.objects.filter(pk=world.tenants["A"].pk).update(officers_need_two_factors=True)
    response = password_only(officer).get("/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert password_only(worker).get("/").status_code == 200  # grid workers are not officers
    assert password_only(other_officer).get("/").status_code == 200  # the other tenant did not ask
    token = Client().post(reverse("api-token"), {"username": officer.username, "password": PASSWORD})
    assert token.status_code == 403  # an officer who owes the code gets no token without it either


def test_the_code_pages_need_the_password_first(client):
    for url in (VERIFY, ENROL):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_user_who_needs_no_second_factor_has_no_enrolment(world, client_for):
    client = client_for("A/S1/C1/G1:grid_worker")
    assert client.get(ENROL).status_code == 404
    assert client.get(VERIFY).status_code == 302


def test_the_security_page_tells_the_state_of_the_second_factor(world, client_for):
    body = client_for("A:admin").get(reverse("accounts:security")).content.decode()
    assert 'data-testid="two-factors-status"' in body


def test_new_recovery_codes_replace_the_old_ones(world, client_for):
    user = world.user("A:admin")
    client = client_for("A:admin")  # both factors
    old = two_factor_services.new_recovery_codes(user=user)
    page = client.get(reverse("accounts:security")).content.decode()
    assert 'data-testid="new-recovery-codes"' in page
    response = client.post(reverse("accounts:two-factors-recovery-codes"))
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor_services.verify_code(user=user, code=old[0]) is None
    assert two_factor_services.verify_code(user=user, code=new[0]) is not None
    # Only with both factors: a session that owes the code is sent to give it first.
    assert password_only(user).post(reverse("accounts:two-factors-recovery-codes")).status_code == 302
    assert client_for("A/S1:grid_head").post(reverse("accounts:two-factors-recovery-codes")).status_code == 404


def test_an_expired_password_is_changed_after_the_code(world):
    user = world.user("A:admin")
    device = enrolled(user)
    Tenant.objects.filter(pk=user.tenant_id).update(password_max_age_days=90)
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = password_only(user)
    assert client.get("/")["Location"].startswith(VERIFY)  # the code first …
    assert client.get(VERIFY).status_code == 200
    client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert client.get("/")["Location"] == reverse("accounts:password-change")  # … then the new password


def test_repeated_wrong_codes_say_how_long_to_wait(world):
    user = world.user("A:admin")
    device = enrolled(user)
    client = password_only(user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    first = client.post(VERIFY, {"code": wrong})
    assert "验证码错误或已过期" in first.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=3, throttling_failure_timestamp=timezone.now())
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 400
    assert re.search(r"请在 [1-4] 秒后重试", response.content.decode())  # the third failure waits 4 s
