"""Registry writes leave one audit row each, never with a plain identity number or phone; every reveal, exact
look-up and sheet leaves a READ row beside the registry's own access record; a refused one leaves none."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import Entry, Kind
from registry import services
from registry.exports import residents_sheet
from registry.models import Resident
from tests.audit.trail import new_rows, only
from tests.registry.factories import make_id, resident

pytestmark = pytest.mark.django_db
GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"


def test_registering_and_correcting_a_person_leave_one_row_each_without_personal_data(world):
    number = make_id()
    with new_rows() as rows:
        person = resident(world.node(GRID), phone="13905518230", id_number=number)
    row = only(rows)
    assert (row.action, row.kind, row.object_type, row.object_id) == (
        "registry.resident.create", Kind.WRITE, "registry.Resident", str(person.pk))
    head = world.user(HEAD)
    with new_rows() as rows:
        services.update_resident(actor=head, resident=person, occupation="退休", phone="13800551234")
    row = only(rows)
    assert row.actor_id == head.pk and row.summary["occupation"] == ["", "退休"]
    assert "phone_masked" in row.summary  # the masked form says that it changed
    text = str(list(Entry.objects.values_list("summary", flat=True)))
    for secret in (number, "13905518230", "13800551234"):
        assert secret not in text


def test_a_reveal_leaves_one_read_row_and_a_refused_one_none(world):
    person = resident(world.node(GRID))
    with new_rows() as refused, pytest.raises(PermissionDenied):
        services.reveal_resident_field(actor=world.user(f"{GRID}:grid_worker"), resident=person, field="phone",
                                       reason="看看")
    assert refused == []
    head = world.user(HEAD)
    with new_rows() as rows:
        services.reveal_resident_field(actor=head, resident=person, field="phone", reason="入户回访")
    row = only(rows)
    assert (row.action, row.kind, row.actor_id, row.object_id) == ("registry.reveal", Kind.READ, head.pk, str(person.pk))
    assert row.summary["reason"] == "入户回访" and row.summary["field"] == "phone"


def test_a_sheet_leaves_one_read_row_masked_or_not(world):
    resident(world.node(GRID))
    head = world.user(HEAD)
    with new_rows() as masked:
        residents_sheet(actor=head, rows=Resident.objects.visible_to(head))
    assert only(masked).action == "registry.sheet" and only(masked).summary == {"rows": 1, "unmasked": 0}
    with new_rows() as full:
        residents_sheet(actor=head, rows=Resident.objects.visible_to(head), reason="民政核对")
    assert only(full).action == "registry.export" and only(full).kind == Kind.READ
