"""Sign-in, sign-out and failed sign-ins leave account rows: who (or the name tried), from which address; never a
password."""

import pytest
from django.urls import reverse

from audit.models import Kind
from tests.audit.trail import new_rows, only

pytestmark = pytest.mark.django_db


def test_a_sign_in_and_a_sign_out_leave_one_row_each(world, client, password):
    user = world.user("A/S1/C1/G1:grid_worker")
    with new_rows() as rows:
        response = client.post(reverse("login"), {"username": user.username, "password": password},
                               REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    row = only(rows)
    assert (row.action, row.kind, row.actor_id, row.address, row.tenant_id) == (
        "accounts.sign_in", Kind.ACCOUNT, user.pk, "10.9.8.7", world.tenants["A"].pk)
    with new_rows() as rows:
        client.post(reverse("logout"), REMOTE_ADDR="10.9.8.7")
    assert only(rows).action == "accounts.sign_out" and only(rows).actor_id == user.pk


def test_a_failed_sign_in_names_the_account_tried_and_the_address_never_the_password(world, client):
    user = world.user("A/S1/C1/G1:grid_worker")
    with new_rows() as rows:
        response = client.post(reverse("login"), {"username": user.username, "password": "Wrong-guess-123"},
                               REMOTE_ADDR="10.9.8.6")
    assert response.status_code == 200
    row = only(rows)
    assert (row.action, row.actor_id, row.address, row.tenant_id) == (
        "accounts.sign_in_failed", None, "10.9.8.6", world.tenants["A"].pk)
    assert row.summary == {"username": user.username} and "Wrong-guess-123" not in str(row.summary)
    with new_rows() as rows:
        client.post(reverse("login"), {"username": "nobody-at-all", "password": "x"}, REMOTE_ADDR="10.9.8.6")
    assert only(rows).tenant_id is None and only(rows).summary == {"username": "nobody-at-all"}
