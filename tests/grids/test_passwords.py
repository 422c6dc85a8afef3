"""Password rules, history and expiry, and the change page every user has."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grids.models import Tenant

pytestmark = pytest.mark.django_db

NEW = "Fresh-pass-2027#"


@pytest.mark.parametrize(
    "weak",
    [
        " " * 10,  # ten spaces
        "平安瑶海平安瑶海平安瑶海",  # four CJK characters repeated
        "abcdefghijkl",  # one class
        "abcdefgh1234",  # two classes
        "Ab1!",  # too short
    ],
)
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_the_demo_and_test_passwords_are_valid(password):
    validate_password(settings.DEMO_PASSWORD)
    validate_password("Yaohai-demo-2026")
    validate_password(password)


def test_the_length_rule_speaks_chinese():
    with pytest.raises(ValidationError) as caught:
        validate_password("Ab1!")
    assert any("密码" in message for message in caught.value.messages), caught.value.messages


def test_the_same_password_again_is_refused(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    with pytest.raises(ValidationError):
        validate_password(password, user)  # the current one


def test_none_of_the_last_five_passwords(world):
    user = world.user("A/S1/C1/G1:grid_worker")
    former = [f"Cycle-pass-{n}#x" for n in range(6)]
    from grids.models import PasswordHistory

    for value in former:
        validate_password(value, user)
        user.set_password(value)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == settings.PASSWORD_HISTORY_COUNT
    for value in former[1:]:
        with pytest.raises(ValidationError):
            validate_password(value, user)
    validate_password(former[0], user)  # six changes ago: no longer remembered


def _signed_in(user, password):
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
    return client


def test_every_user_changes_their_own_password(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    client = _signed_in(user, password)
    me = client.get(reverse("home"), {"tab": "me"}).content.decode()
    assert reverse("accounts:security") in me
    assert reverse("accounts:password-change") in client.get(reverse("accounts:security")).content.decode()
    refused = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": " " * 10, "new_password2": " " * 10},
    )
    assert refused.status_code == 200
    again = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert again.status_code == 200
    changed = client.post(
        reverse("accounts:password-change"), {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert changed.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password(NEW) and user.password_changed_at is not None


def test_an_expired_password_forces_the_change_page(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    Tenant.objects.filter(pk=user.tenant_id).update(password_max_age_days=90)
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = _signed_in(user, password)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("accounts:password-change")
    assert client.get(reverse("events:list")).url == reverse("accounts:password-change")
    page = client.get(reverse("accounts:password-change"))
    assert page.status_code == 200 and 'data-testid="password-expired"' in page.content.decode()
    client.post(
        reverse("accounts:password-change"), {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert client.get(reverse("home")).status_code == 200


def test_the_lifetime_counts_from_the_last_change(world):
    from grids.accounts import selectors

    user = world.user("A/S1/C1/G1:grid_worker")
    now = timezone.now()
    user.password_changed_at = now - dt.timedelta(days=89)
    Tenant.objects.filter(pk=user.tenant_id).update(password_max_age_days=90)
    assert not selectors.password_expired(user, now)
    assert selectors.password_expired(user, now + dt.timedelta(days=1))
    Tenant.objects.filter(pk=user.tenant_id).update(password_max_age_days=0)
    assert not selectors.password_expired(user, now + dt.timedelta(days=1000))  # 0 = never
