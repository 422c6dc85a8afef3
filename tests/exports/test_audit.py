"""An export asked for leaves one audit row: a queued job as a write, a sheet handed out at once as a read."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import Kind
from events.exports import EVENT_LIST
from exports import services as exports
from tests.audit.trail import new_rows, only

from .conftest import VIEWER

pytestmark = pytest.mark.django_db
G1 = "A/S1/C1/G1"


def test_a_queued_export_leaves_one_write_row_naming_the_job(filed, settings, private_media):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    filed.report(G1, 1)
    viewer = filed.world.user(VIEWER)
    with new_rows() as rows:
        job = exports.request_export(actor=viewer, kind=EVENT_LIST, parameters={}).job
    row = only(rows)
    assert (row.action, row.kind, row.actor_id) == ("exports.request", Kind.WRITE, viewer.pk)
    assert (row.object_type, row.object_id) == ("exports.ExportJob", str(job.pk))
    assert row.summary["kind"] == [None, EVENT_LIST]


def test_a_sheet_handed_out_at_once_leaves_one_read_row(filed, private_media):
    filed.report(G1, 2)
    viewer = filed.world.user(VIEWER)
    with new_rows() as rows:
        answer = exports.request_export(actor=viewer, kind=EVENT_LIST, parameters={})
    row = only(rows)
    assert (row.action, row.kind, row.actor_id, row.tenant_id) == (
        "exports.sheet", Kind.READ, viewer.pk, filed.world.tenants["A"].pk)
    assert row.summary["rows"] == answer.sheet.rows and row.summary["kind"] == EVENT_LIST


def test_a_refused_export_leaves_no_row(filed, private_media):
    with new_rows() as rows, pytest.raises(ValidationError):
        exports.request_export(actor=filed.world.user(VIEWER), kind=EVENT_LIST, parameters={"status": "nonsense"})
    assert rows == []


def test_downloading_a_finished_export_leaves_one_read_row(filed, settings, private_media, client_for):
    """A sheet fetched later from 我的导出 is a read too (it may carry personal data)."""
    from django.urls import reverse

    settings.EXPORT_SYNC_MAX_ROWS = 1
    filed.report(G1, 2)
    viewer = filed.world.user(VIEWER)
    job = exports.request_export(actor=viewer, kind=EVENT_LIST, parameters={}).job
    exports.run_job(job_id=job.pk)
    client = client_for(VIEWER)
    with new_rows() as rows:
        response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    row = only(rows)
    assert (row.action, row.kind, row.actor_id) == ("exports.download", Kind.READ, viewer.pk)
    assert (row.object_type, row.object_id) == ("exports.ExportJob", str(job.pk))
