"""Sign-in with an over-long user name: a clear field error, no attempt recorded (django-axes' record holds 255
characters; on PostgreSQL a longer name made every sign-in path answer 500)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

pytestmark = pytest.mark.django_db

LONG = "x" * 300


@pytest.mark.parametrize("route", ["login", "admin:login"])
def test_an_over_long_user_name_is_a_form_error_on_the_sign_in_pages(route, world, client):
    response = client.post(reverse(route), {"username": LONG, "password": "whatever"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert "150" in response.context["form"].errors["username"][0]
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def test_an_over_long_user_name_is_a_400_at_the_token_endpoint(world, client):
    response = client.post(reverse("api-token"), {"username": LONG, "password": "whatever"})
    assert response.status_code == 400
    assert "150" in response.json()["username"][0]
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_recorded(world, client):
    response = client.post(reverse("login"), {"username": "a_admin", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="a_admin").exists()


def test_axes_records_at_most_255_characters_whatever_path_reached_it(world, client):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/elsewhere/")
    assert authenticate(request, username="y" * 400, password="wrong") is None
    assert AccessAttempt.objects.get().username == "y" * 255
