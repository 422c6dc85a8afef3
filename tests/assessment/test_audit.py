"""Computing and publishing a month leave one audit row each; a refused publication none."""

import pytest

from assessment import services
from audit.models import Kind
from tests.audit.trail import new_rows, only

from .conftest import DISTRICT_HEAD, NOW, OCTOBER

pytestmark = pytest.mark.django_db


def test_compute_and_publish_leave_one_row_each_and_a_refusal_none(month, world):
    head = world.user(DISTRICT_HEAD)
    tenant = world.tenants["A"]
    with new_rows() as computed:
        run = services.compute_month(actor=head, tenant=tenant, month=OCTOBER, now=NOW)
    row = only(computed)
    assert (row.action, row.kind, row.actor_id, row.object_id) == ("assessment.compute", Kind.WRITE, head.pk, str(run.pk))
    assert row.summary["version"] == [None, 1]
    with new_rows() as refused, pytest.raises(services.NotAllowed):
        services.publish_month(actor=world.user("A/S1/C1/G1:grid_worker"), tenant=tenant, month=OCTOBER, version=1)
    assert refused == []
    with new_rows() as published:
        services.publish_month(actor=head, tenant=tenant, month=OCTOBER, version=1, now=NOW)
    assert only(published).action == "assessment.publish"
    assert only(published).summary["status"] == ["draft", "published"]
