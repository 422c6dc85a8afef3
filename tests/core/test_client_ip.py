"""The sign-in lockout and the throttles behind the documented proxy (nginx on the same host)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from yaohai.core.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def _via_proxy(client, username, password, client_address):
    return client.post(
        reverse("login"), {"username": username, "password": password},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address,
    )


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_five_failures_behind_the_proxy_lock_that_client_only(world, password):
    for i in range(5):
        _via_proxy(Client(), f"nobody{i}", "wrong-password", "203.0.113.7")
    user = world.user("A/S1/C1/G1:grid_worker")
    # The attacker's address is locked …
    assert _via_proxy(Client(), user.username, password, "203.0.113.7").status_code == 429
    # … and everyone else, coming through the same proxy, still signs in.
    assert _via_proxy(Client(), user.username, password, "198.51.100.20").status_code == 302


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_forged_header_does_not_escape_the_lock(world, password):
    # The client writes its own X-Forwarded-For; nginx appends the real address after it.
    for i in range(5):
        _via_proxy(Client(), f"nobody{i}", "wrong-password", f"10.9.9.{i}, 203.0.113.8")
    user = world.user("A/S1/C1/G1:grid_worker")
    assert _via_proxy(Client(), user.username, password, "10.9.9.99, 203.0.113.8").status_code == 429


def test_the_header_is_ignored_unless_the_proxy_is_trusted(rf):
    request = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "198.51.100.1"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(request) == "198.51.100.1"  # not from a trusted proxy
        behind = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.5")
        assert client_ip(behind) == "203.0.113.9"  # two trusted proxies skipped
        garbled = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
        assert client_ip(garbled) == "10.0.0.2"


RATES = {"anon": "3/min", "user": "4/min", "sign_in_address": "5/min", "sign_in_account": "2/min"}


@pytest.fixture(autouse=True)
def _own_cache(request):
    """The throttles count in the cache: a fresh one per test, so no earlier request counts."""
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.name}}
    ):
        yield


@override_settings(API_THROTTLE_RATES=RATES, TRUSTED_PROXIES=[PROXY])
def test_the_token_endpoint_is_throttled_by_account_and_by_address(world):
    url = reverse("api-token")
    api = APIClient()
    answers = [
        api.post(url, {"username": "a_admin", "password": "x"}, REMOTE_ADDR=PROXY,
                 HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]
    assert answers[:2] == [400, 400] and answers[2] == 429  # the same account from anywhere
    answers = [
        api.post(url, {"username": f"user{i}", "password": "x"}, REMOTE_ADDR=PROXY,
                 HTTP_X_FORWARDED_FOR="198.51.100.50").status_code
        for i in range(6)
    ]
    assert answers[5] == 429 and 429 not in answers[:5]  # the same address, whatever the account
    other = api.post(url, {"username": "someone", "password": "x"}, REMOTE_ADDR=PROXY,
                     HTTP_X_FORWARDED_FOR="198.51.100.51")
    assert other.status_code == 400


@override_settings(API_THROTTLE_RATES=RATES)
def test_the_api_is_throttled_per_account(world):
    api = APIClient()
    api.force_authenticate(world.user("A/S1/C1:grid_head"))
    codes = [api.get(reverse("node-list")).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    other = APIClient()
    other.force_authenticate(world.user("A/S1/C2:grid_head"))
    assert other.get(reverse("node-list")).status_code == 200
