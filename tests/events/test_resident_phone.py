"""The hotline caller's phone: sealed at rest (no plain digits in any column), masked on the page and in the API,
revealed with a reason to those who may call back — each reveal an audit row — and refused to anyone else; the
migration seals the rows written before it."""

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import Entry
from events import services
from events.models import Event
from yaohai.core.errors import NotAllowed

from .conftest import HEAD

PHONE = "13800001234"
POLICE = "A/S1/C1/G1:police"


def _raw_row(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM events_event WHERE id = %s", [pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_the_phone_is_not_in_the_database_in_plain(ev):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone="+86 138-0000-1234")
    assert PHONE not in _raw_row(event.pk) and "00001234" not in _raw_row(event.pk)
    stored = Event.objects.get(pk=event.pk)
    assert stored.resident_phone_masked == "138****1234"
    assert stored.resident_phone_index and stored.resident_phone_encrypted.startswith(("A$", "S$"))


def test_a_bad_phone_is_a_form_error_and_nothing_is_filed(ev, client_for):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        ev.report(source="hotline", resident_name="王女士", resident_phone="12")
    assert "resident_phone" in exc.value.message_dict and not Event.objects.exists()


def test_the_page_shows_the_mask_and_reveals_with_a_reason(ev, client_for):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone=PHONE)
    head = client_for(HEAD)
    page = head.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "138****1234" in page and PHONE not in page and 'data-testid="reveal-phone"' in page
    refused = head.post(reverse("events:reveal-phone", args=[event.pk]), {"reason": ""})
    assert refused.status_code == 400 and PHONE not in refused.content.decode()
    assert not Entry.objects.filter(action="events.reveal_phone").exists()
    shown = head.post(reverse("events:reveal-phone", args=[event.pk]), {"reason": "回访来电人"})
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    entry = Entry.objects.get(action="events.reveal_phone")
    assert entry.kind == "read" and entry.actor_id == ev.user(HEAD).pk and "回访来电人" in str(entry.summary)
    # the police on the grid sees the event but not the caller, and may not reveal
    police = client_for(POLICE)
    assert PHONE not in police.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert police.post(reverse("events:reveal-phone", args=[event.pk]), {"reason": "好奇"}).status_code == 403
    with pytest.raises(NotAllowed):
        services.reveal_resident_phone(actor=ev.user(POLICE), event=event, reason="好奇")


def test_the_api_masks_and_reveals(ev, client_for):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone=PHONE)
    head = client_for(HEAD)
    assert head.get(reverse("event-detail", args=[event.pk])).json()["resident_phone"] == "138****1234"
    url = reverse("event-reveal-phone", args=[event.pk])
    assert head.post(url, {"reason": "回访"}, content_type="application/json").json() == {"resident_phone": PHONE}
    assert client_for(POLICE).post(url, {"reason": "回访"}, content_type="application/json").status_code == 403
    assert client_for("B/S1/C1:grid_head").post(url, {"reason": "回访"},
                                                content_type="application/json").status_code == 404


def test_the_key_rotation_re_seals_the_callers_phone_too(ev):
    from django.core.management import call_command
    from django.test import override_settings

    from tests.registry.test_personal_data import INDEX, KEY_1, KEY_2
    from yaohai.core.personal import crypto, fields

    assert {(c.model, c.field) for c in fields.columns()} >= {
        ("events.Event", "resident_phone"), ("registry.Resident", "id_number"), ("registry.Resident", "phone"),
        ("registry.Organisation", "contact_phone"), ("mediation.CaseParty", "phone"),
        ("residents.ResidentAccount", "phone")}
    with override_settings(PERSONAL_DATA_KEYS=KEY_1, PERSONAL_DATA_INDEX_KEY=INDEX):
        event = ev.report(source="hotline", resident_name="王女士", resident_phone=PHONE)
    with override_settings(PERSONAL_DATA_KEYS=f"{KEY_2},{KEY_1}", PERSONAL_DATA_INDEX_KEY=INDEX):
        call_command("rotate_personal_data_key", stdout=open("/dev/null", "w"))
    stored = Event.objects.get(pk=event.pk)
    assert crypto.key_id_of(stored.resident_phone_encrypted) == "k2"
    with override_settings(PERSONAL_DATA_KEYS=KEY_2, PERSONAL_DATA_INDEX_KEY=INDEX):  # the old key is gone
        assert services.reveal_resident_phone(actor=ev.user(HEAD), event=stored, reason="回访") == PHONE
