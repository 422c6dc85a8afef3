"""API tokens: a lifetime, revoked by the user, by an admin, by sign-out and by a password change."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _token(user, password):
    response = APIClient().post(reverse("api-token"), {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    assert "expires_at" in response.json()
    return response.json()["token"]


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires(world, password):
    user = world.user("A/S1/C1:grid_head")
    key = _token(user, password)
    assert _api(key).get(reverse("node-list")).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=169))
    response = _api(key).get(reverse("node-list"))
    assert response.status_code in (401, 403)
    fresh = _token(user, password)
    assert fresh != key and _api(fresh).get(reverse("node-list")).status_code == 200


@override_settings(API_TOKEN_LIFETIME_HOURS=1)
def test_the_lifetime_is_a_setting(world, password):
    key = _token(world.user("A/S1/C1:grid_head"), password)
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(minutes=61))
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)


def test_the_same_token_while_it_lives(world, password):
    user = world.user("A/S1/C1:grid_head")
    assert _token(user, password) == _token(user, password)


def test_a_password_change_revokes_the_token(world, password):
    user = world.user("A/S1/C1:grid_head")
    key = _token(user, password)
    user.set_password("Another-pass-2027#")
    user.save()
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)


def test_sign_out_revokes_the_token(world, password):
    user = world.user("A/S1/C1:grid_head")
    key = _token(user, password)
    web = Client()
    web.force_login(user)
    web.post(reverse("logout"))
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)


def test_the_api_revokes_its_own_token(world, password):
    key = _token(world.user("A/S1/C1:grid_head"), password)
    assert _api(key).delete(reverse("api-token")).status_code == 204
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)


def test_the_user_revokes_the_token_on_their_page(world, password):
    user = world.user("A/S1/C1:grid_head")
    key = _token(user, password)
    web = Client()
    web.force_login(user)
    page = web.get(reverse("accounts:security")).content.decode()
    assert 'data-testid="revoke-token"' in page
    assert web.post(reverse("accounts:security")).status_code == 302
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)


def test_an_admin_revokes_tokens(world, password):
    user = world.user("A/S1/C1:grid_head")
    key = _token(user, password)
    admin = Client()
    admin.force_login(world.user("A:admin"))
    admin.post(
        reverse("admin:grids_user_changelist"),
        {"action": "revoke_api_tokens", "_selected_action": [user.pk]},
    )
    assert _api(key).get(reverse("node-list")).status_code in (401, 403)
