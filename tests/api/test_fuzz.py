"""The whole OpenAPI schema fuzzed with schemathesis, in process, as two identities of two districts.

Every operation is called with generated (valid and invalid) data under a token of district A's community head and
of district B's; the checks: no server error, no operation that ignores authentication, and no answer to one
district that carries the other's data (the world's names and codes are distinct per district: 甲区/340102 and
乙区/340103). Bounded by FUZZ_EXAMPLES per operation and identity (a few minutes for the whole schema).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
MARKERS = {"A": ("甲区", "340102", "a_s1_", "a_s2_"), "B": ("乙区", "340103", "b_s1_", "b_s2_")}
IDENTITIES = {"A": "A/S1/C1:grid_head", "B": "B/S1/C1:grid_head"}

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


def other(key):
    return "B" if key == "A" else "A"


def no_other_districts_data(key):
    def check(ctx, response, case):
        body = response.text
        leaked = [m for m in MARKERS[other(key)] if m in body]
        if leaked:
            raise AssertionError(f"{case.method} {case.formatted_path} answered {key}'s user with {leaked}")
        return True

    return check


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """schemathesis calls the WSGI application itself, not Django's test client, so Django's request signals would
    close the test's database connection (it is inside the test's transaction, so "unusable" to them); the test
    client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    return {key: Token.objects.get_or_create(user=world.user(user))[0].key for key, user in IDENTITIES.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["A", "B"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_no_data_of_another_district(case, key, tokens):
    headers = {"Authorization": f"Token {tokens[key]}", "Accept-Language": "zh-hans"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, no_other_districts_data(key)])
    # Without the token every operation but the public ones answers 401/403.
    if case.operation.path not in ("/api/v1/", "/api/v1/auth/token/"):
        anonymous = case.call(headers={"Accept-Language": "zh-hans"})
        assert anonymous.status_code in (401, 403, 404, 405), (case.method, case.formatted_path, anonymous.status_code)
