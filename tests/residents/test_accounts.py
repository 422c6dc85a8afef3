"""Resident accounts: sign-up and sign-in with a one-time code, its expiry, single use and attempts, rate limits,
no enumeration, the phone kept encrypted, the confirmation queue, confinement to the resident pages."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from registry import services as registry_services
from residents import services
from residents.choices import CODE_MAX_ATTEMPTS, PHONE_PURPOSE, AccountStatus
from residents.models import OneTimeCode, ResidentAccount
from residents.senders import last_code_in_file
from tests.registry import factories
from yaohai.core.errors import Invalid, NotFound
from yaohai.core.personal import crypto

from .helpers import signed_in_resident

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_sign_up_with_a_code_creates_an_account_with_the_phone_encrypted(world):
    tenant = world.tenants["A"]
    services.request_code(tenant=tenant, phone="+86 138 0000 2222", now=NOW)
    code = last_code_in_file("13800002222")
    assert code and len(code) == 6
    row = OneTimeCode.objects.get(tenant=tenant)
    assert code not in row.code_hash  # kept as a keyed hash only
    account = services.sign_in(tenant=tenant, phone="13800002222", code=code, now=NOW + dt.timedelta(minutes=1))
    assert account.status == AccountStatus.UNCONFIRMED
    assert account.phone_masked == "138****2222"
    assert "13800002222" not in account.phone_encrypted
    assert crypto.decrypt(account.phone_encrypted, PHONE_PURPOSE) == "13800002222"
    assert not account.user.has_usable_password()
    assert account.user.phone == ""  # never a plain copy
    # The second sign-in finds the same account.
    services.request_code(tenant=tenant, phone="13800002222", now=NOW + dt.timedelta(minutes=2))
    again = services.sign_in(tenant=tenant, phone="13800002222", code=last_code_in_file("13800002222"),
                             now=NOW + dt.timedelta(minutes=3))
    assert again.pk == account.pk


def test_a_code_expires_after_five_minutes(world):
    tenant = world.tenants["A"]
    services.request_code(tenant=tenant, phone="13800003333", now=NOW)
    code = last_code_in_file("13800003333")
    with pytest.raises(Invalid):
        services.sign_in(tenant=tenant, phone="13800003333", code=code, now=NOW + dt.timedelta(minutes=5, seconds=1))
    assert not ResidentAccount.objects.exists()


def test_a_code_is_single_use_and_an_earlier_code_dies_with_a_new_one(world):
    tenant = world.tenants["A"]
    services.request_code(tenant=tenant, phone="13800004444", now=NOW)
    first = last_code_in_file("13800004444")
    services.request_code(tenant=tenant, phone="13800004444", now=NOW + dt.timedelta(seconds=30))
    second = last_code_in_file("13800004444")
    if first != second:
        with pytest.raises(Invalid):
            services.sign_in(tenant=tenant, phone="13800004444", code=first, now=NOW + dt.timedelta(minutes=1))
    services.sign_in(tenant=tenant, phone="13800004444", code=second, now=NOW + dt.timedelta(minutes=1))
    with pytest.raises(Invalid):
        services.sign_in(tenant=tenant, phone="13800004444", code=second, now=NOW + dt.timedelta(minutes=1))


def test_wrong_codes_use_up_the_attempts_even_for_the_right_one_after(world):
    tenant = world.tenants["A"]
    services.request_code(tenant=tenant, phone="13800005555", now=NOW)
    code = last_code_in_file("13800005555")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(CODE_MAX_ATTEMPTS):
        with pytest.raises(Invalid):
            services.sign_in(tenant=tenant, phone="13800005555", code=wrong, now=NOW)
    assert OneTimeCode.objects.get().attempts == CODE_MAX_ATTEMPTS
    with pytest.raises(Invalid):
        services.sign_in(tenant=tenant, phone="13800005555", code=code, now=NOW)


def test_rate_limits_per_number_and_per_address(world, settings):
    tenant = world.tenants["A"]
    settings.RESIDENT_RATE_LIMITS = {"code_number": (2, 600), "code_address": (3, 3600)}
    services.request_code(tenant=tenant, phone="13800006666", address="10.0.0.1")
    services.request_code(tenant=tenant, phone="13800006666", address="10.0.0.2")
    with pytest.raises(Invalid, match="this number"):
        services.request_code(tenant=tenant, phone="13800006666", address="10.0.0.3")
    services.request_code(tenant=tenant, phone="13800007777", address="10.0.0.9")
    services.request_code(tenant=tenant, phone="13800007778", address="10.0.0.9")
    services.request_code(tenant=tenant, phone="13800007779", address="10.0.0.9")
    with pytest.raises(Invalid, match="from here"):
        services.request_code(tenant=tenant, phone="13800007770", address="10.0.0.9")


def test_rate_limits_fail_open_when_the_cache_is_down(world, settings):
    settings.RESIDENT_RATE_LIMITS = {"code_number": (1, 600)}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    from django.core.cache import caches

    caches._settings = None  # noqa: SLF001 - re-read the changed setting
    try:
        tenant = world.tenants["A"]
        services.request_code(tenant=tenant, phone="13800008888")
        services.request_code(tenant=tenant, phone="13800008888")  # the counter is unreachable: not refused
    finally:
        caches._settings = None  # noqa: SLF001
    assert OneTimeCode.objects.filter(used_at__isnull=True).count() == 1


def _no_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_no_enumeration_same_answer_for_known_and_unknown_numbers(world):
    signed_in_resident(world, phone="13800009999")
    answers = []
    for phone in ("13800009999", "13911112222"):
        client = Client()
        response = client.post("/r/signin/", {"tenant": world.tenants["A"].code, "phone": phone})
        follow = client.get(response["Location"])
        answers.append((response.status_code, response["Location"],
                        _no_token(follow.content.decode()).replace(phone[:3] + "****" + phone[-4:], "MASK")))
    assert answers[0] == answers[1]


def test_bad_numbers_are_refused_in_plain_words(world):
    response = Client().post("/r/signin/", {"tenant": world.tenants["A"].code, "phone": "12345"})
    assert response.status_code == 400
    assert "11" in response.content.decode()
    assert not OneTimeCode.objects.exists()


def test_residents_never_reach_staff_pages(world):
    client, _account = signed_in_resident(world)
    assert client.get("/r/").status_code == 200
    for path in ("/", "/events/", "/registry/", "/residents/", "/api/v1/", "/admin/"):
        assert client.get(path).status_code == 404, path


def test_staff_scope_includes_no_resident_account_beyond_the_jurisdiction(world):
    _c, inside = signed_in_resident(world, phone="13800001001", community="A/S1/C1")
    _c, sibling = signed_in_resident(world, phone="13800001002", community="A/S1/C2")
    head = world.user("A/S1/C1:grid_head")
    visible = set(ResidentAccount.objects.visible_to(head, "residents.confirm").values_list("pk", flat=True))
    assert inside.pk in visible and sibling.pk not in visible
    with pytest.raises(NotFound):
        services.confirm_account(actor=head, account_id=sibling.pk)
    worker = world.user("A/S1/C1/G1:grid_worker")  # no right to confirm
    with pytest.raises(NotFound):
        services.confirm_account(actor=worker, account_id=inside.pk)


def test_the_community_confirms_and_links_a_household_then_can_block(world):
    client, account = signed_in_resident(world, phone="13800001003", community="A/S1/C1")
    head = client_head = Client()
    client_head.force_login(world.user("A/S1/C1:grid_head"))
    queue = head.get("/residents/")
    assert account.phone_masked in queue.content.decode()
    response = head.post(f"/residents/{account.pk}/", {"action": "confirm", "household": ""})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.CONFIRMED and account.confirmed_at <= timezone.now()
    head.post(f"/residents/{account.pk}/", {"action": "block", "reason": "恶意上报"})
    account.refresh_from_db()
    assert account.is_blocked
    # A blocked resident is signed out at her next page and cannot sign in again.
    assert client.get("/r/").status_code == 302
    services.request_code(tenant=world.tenants["A"], phone="13800001003")
    with pytest.raises(Invalid, match="blocked|停用"):
        services.sign_in(tenant=world.tenants["A"], phone="13800001003", code=last_code_in_file("13800001003"))


def test_a_household_of_another_community_is_refused(world):
    _c, account = signed_in_resident(world, phone="13800001004", community="A/S1/C1")
    head = world.user("A/S1:grid_head")
    grid = world.node("A/S1/C2/G1")
    other = registry_services.form_household(
        actor=None, house=factories.house(grid), head=factories.resident(grid), on_date=dt.date(2024, 2, 1)
    )
    with pytest.raises(Invalid):
        services.confirm_account(actor=head, account_id=account.pk, household_id=other.pk)
    account.refresh_from_db()
    assert account.status == AccountStatus.UNCONFIRMED


def test_large_text_is_one_tap_away(world):
    client = Client()
    response = client.post("/r/large-text/", {"next": "/r/signin/"})
    assert response.cookies["large_text"].value == "1"
    assert 'class="large-text"' in client.get("/r/signin/").content.decode()
    client.post("/r/large-text/", {"next": "https://evil.example/"})
    assert 'class="large-text"' not in client.get("/r/signin/").content.decode()
