import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _fail(client, username, ip):
    return client.post(reverse("login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_even_from_another_address(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    client = Client()
    for i in range(5):
        _fail(client, user.username, f"10.0.0.{i + 1}")
    response = client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR="10.0.0.99"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_address_for_other_accounts(world, password):
    client = Client()
    for i in range(5):
        _fail(client, f"nobody{i}", "10.1.1.1")
    other = world.user("A/S1/C2/G1:grid_worker")
    response = client.post(
        reverse("login"), {"username": other.username, "password": password}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    fresh = Client().post(
        reverse("login"), {"username": other.username, "password": password}, REMOTE_ADDR="10.1.1.2"
    )
    assert fresh.status_code == 302


def test_four_failures_then_success_signs_in(world, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    client = Client()
    for _ in range(4):
        response = _fail(client, user.username, "10.2.2.2")
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302


def test_login_page_speaks_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in body
    assert "e网清" in body


def _signed_in(world, password, path="A/S1/C1/G1:grid_worker") -> Client:
    client = Client()
    user = world.user(path)
    assert client.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
    return client


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


class _Clock:
    def __init__(self):
        import time

        self.now = time.time()

    def time(self):
        return self.now


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)  # the middleware below does it, once a minute


def test_a_request_pushes_the_expiry_forward_at_most_once_a_minute(world, password, monkeypatch):
    from yaohai.core import sessions

    clock = _Clock()
    monkeypatch.setattr(sessions, "time", clock)
    client = _signed_in(world, password)
    assert client.get(reverse("home")).status_code == 200
    first = _expiry(client)
    clock.now += 30
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) == first  # within the minute: no write
    clock.now += 31
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) > first  # a minute on: the session is written with a new expiry


def test_an_idle_session_ends(world, password):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = _signed_in(world, password)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_anonymous_visit_creates_no_session(client):
    from django.contrib.sessions.models import Session

    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password", "short1!"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Grid-worker-2026!")
