"""Identity numbers and phones: encrypted at rest, found through the blind index, revealed only with the right."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from registry import services
from registry.models import AccessRecord, Organisation, Resident
from registry.services import look_up_residents as find_residents
from tests.registry.factories import make_id, resident
from yaohai.core.personal import crypto

GRID = "A/S1/C1/G1"
KEY_1 = "k1=" + base64.b64encode(b"1" * 32).decode()
KEY_2 = "k2=" + base64.b64encode(b"2" * 32).decode()
INDEX = base64.b64encode(b"i" * 32).decode()


def raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — a fixed table name
        return [" ".join(str(v) for v in row) for row in cursor.fetchall()]


def test_no_plain_identity_number_or_phone_in_the_database(world):
    number = make_id(dt.date(1975, 3, 9))
    person = resident(world.node(GRID), id_number=number, phone="13905518230")
    services.save_organisation(
        actor=None, node=world.node(GRID), name="琅琊便民超市", kind="shop", contact_phone="13800001111"
    )
    everything = " ".join(raw_rows("registry_resident") + raw_rows("registry_organisation"))
    assert person.pk
    for plain in (number, number[6:14] + number[14:], "13905518230", "05518230", "13800001111"):
        assert plain not in everything
    stored = Resident.objects.get(pk=person.pk)
    assert stored.id_number_masked == number[:6] + "********" + number[-4:]
    assert stored.phone_masked == "139****8230"


def test_exact_look_up_goes_through_the_blind_index(world):
    number = make_id()
    person = resident(world.node(GRID), id_number=number)
    head = world.user("A/S1/C1:grid_head")
    assert list(find_residents(actor=head, id_number=number.lower())) == [person]
    assert list(find_residents(actor=head, phone="+86 139 0551 8230")) == [person]
    # Another community's head does not find the person, and the look-up is recorded for the auditors.
    assert list(find_residents(actor=world.user("A/S1/C2:grid_head"), id_number=number)) == []
    assert AccessRecord.objects.filter(resident=person, kind="lookup", actor=head).count() == 2


def test_an_identity_number_is_once_in_a_tenant(world):
    number = make_id()
    resident(world.node(GRID), id_number=number)
    with pytest.raises(ValidationError) as caught:
        resident(world.node("A/S2/C1/G1"), id_number=number)
    assert "id_number" in caught.value.message_dict
    resident(world.node("B/S1/C1/G1"), id_number=number)  # another district keeps its own registry


def test_reveal_needs_the_right_and_is_recorded(world):
    person = resident(world.node(GRID), phone="13905518230")
    worker = world.user(f"{GRID}:grid_worker")
    with pytest.raises(PermissionDenied):
        services.reveal_resident_field(actor=worker, resident=person, field="phone", reason="回访")
    head = world.user("A/S1/C1:grid_head")
    with pytest.raises(ValidationError):
        services.reveal_resident_field(actor=head, resident=person, field="phone", reason="")
    assert not AccessRecord.objects.exists()
    assert services.reveal_resident_field(actor=head, resident=person, field="phone", reason="入户回访") == "13905518230"
    record = AccessRecord.objects.get()
    assert (record.actor, record.resident, record.field, record.reason) == (head, person, "phone", "入户回访")
    assert record.community_id == world.nodes["A/S1/C1"].pk
    # The sibling community's head holds the right, but not over this person.
    with pytest.raises(PermissionDenied):
        services.reveal_resident_field(
            actor=world.user("A/S1/C2:grid_head"), resident=person, field="phone", reason="看看"
        )


def test_key_rotation_re_seals_every_value(world):
    with override_settings(PERSONAL_DATA_KEYS=KEY_1, PERSONAL_DATA_INDEX_KEY=INDEX):
        number = make_id()
        person = resident(world.node(GRID), id_number=number)
        assert crypto.key_id_of(Resident.objects.get(pk=person.pk).id_number_encrypted) == "k1"
    with override_settings(PERSONAL_DATA_KEYS=f"{KEY_2},{KEY_1}", PERSONAL_DATA_INDEX_KEY=INDEX):
        call_command("rotate_personal_data_key", stdout=open("/dev/null", "w"))
        stored = Resident.objects.get(pk=person.pk)
        assert crypto.key_id_of(stored.id_number_encrypted) == "k2"
    with override_settings(PERSONAL_DATA_KEYS=KEY_2, PERSONAL_DATA_INDEX_KEY=INDEX):  # the old key is gone
        head = world.user("A/S1/C1:grid_head")
        assert services.reveal_resident_field(actor=head, resident=stored, field="id_number", reason="核对") == number
        assert list(find_residents(actor=head, id_number=number)) == [stored]


def test_sm4_for_the_national_algorithms(world):
    with override_settings(PERSONAL_DATA_CIPHER="sm4-gcm"):
        token = crypto.encrypt("13905518230", "resident.phone")
        assert token.startswith("S$")
        assert crypto.decrypt(token, "resident.phone") == "13905518230"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, "organisation.contact_phone")  # sealed for another column


def test_production_refuses_to_run_without_keys():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(PERSONAL_DATA_KEYS="", PERSONAL_DATA_INDEX_KEY=""):
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt("x", "resident.phone")


def test_organisation_contact_phone_is_revealed_under_the_same_rule(world):
    org = services.save_organisation(
        actor=None, node=world.node(GRID), name="铁路一村幼儿园", kind="school", contact_phone="05513456789"
    )
    org = Organisation.objects.get(pk=org.pk)
    assert org.contact_phone_masked == "055****6789"
    head = world.user("A/S1/C1:grid_head")
    assert services.reveal_contact_phone(actor=head, organisation=org, reason="联系单位") == "05513456789"
    assert AccessRecord.objects.filter(organisation=org, field="contact_phone").count() == 1
