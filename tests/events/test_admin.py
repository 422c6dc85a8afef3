"""The events admin is scoped like everything else: a tenant admin sees only their tenant; the calendar is the
platform admin's."""

import pytest
from django.urls import reverse

from events.models import CalendarDay, HandlingUnit
from tests.world import make_user

pytestmark = pytest.mark.django_db


def test_tenant_admin_sees_only_their_units_and_events(ev, client_for):
    mine, theirs = ev.event_in("reported"), ev.report(path="B/S1/C1/G1", title="乙区的事件")
    client = client_for("A:admin")
    units = client.get(reverse("admin:events_handlingunit_changelist")).content.decode()
    assert ev.unit.name in units and ev.foreign_unit.name not in units
    assert client.get(reverse("admin:events_handlingunit_change", args=[ev.foreign_unit.pk])).status_code == 404
    events = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert mine.title in events and theirs.title not in events
    assert client.get(reverse("admin:events_event_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:events_event_change", args=[theirs.pk])).status_code == 404


def test_tenant_admin_cannot_add_another_tenants_people_to_a_unit(ev, client_for):
    stranger = make_user("b_stranger", ev.world.tenants["B"])
    client = client_for("A:admin")
    data = {"tenant": ev.world.tenants["A"].pk, "name": "新单位", "kind": "department", "phone": "",
            "is_active": "on", "members": [stranger.pk]}
    response = client.post(reverse("admin:events_handlingunit_add"), data)
    assert response.status_code == 200  # the form refuses the choice
    assert not HandlingUnit.objects.filter(name="新单位").exists()


def test_category_parent_must_be_a_main_category_of_the_same_tenant(ev, client_for):
    client = client_for("A:admin")
    sub = ev.category()
    data = {"tenant": ev.world.tenants["A"].pk, "parent": sub.pk, "name": "三级", "sort_order": 1,
            "is_active": "on", "accept_limit": 1, "accept_time_unit": "working_hours", "handle_limit": 1,
            "handle_time_unit": "working_days", "verify_limit": 1, "verify_time_unit": "working_days",
            "children-TOTAL_FORMS": 0, "children-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:events_category_add"), data)
    assert response.status_code == 200
    assert not sub.children.exists()


def test_calendar_is_read_by_tenant_admins_and_edited_by_platform_admins(ev, client_for):
    day = CalendarDay.objects.create(date="2027-01-01", is_workday=False, note="元旦")
    tenant_admin = client_for("A:admin")
    page = tenant_admin.get(reverse("admin:events_calendarday_changelist"))
    assert page.status_code == 200  # was 403: the docs send tenant admins here
    assert "元旦" in page.content.decode() and 'name="form-0-note"' not in page.content.decode()
    assert tenant_admin.get(reverse("admin:events_calendarday_change", args=[day.pk])).status_code == 200
    edit = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": day.pk, "form-0-is_workday": "on",
            "form-0-note": "改", "_save": "1"}
    assert tenant_admin.post(reverse("admin:events_calendarday_changelist"), edit).status_code == 403
    assert tenant_admin.post(reverse("admin:events_calendarday_change", args=[day.pk]),
                             {"date": "2027-01-01", "is_workday": "on", "note": "改"}).status_code == 403
    assert tenant_admin.get(reverse("admin:events_calendarday_add")).status_code == 403
    assert tenant_admin.get(reverse("admin:events_calendarday_load")).status_code == 403
    day.refresh_from_db()
    assert (day.is_workday, day.note) == (False, "元旦")
    assert client_for("A/S1/C1:grid_head").get(reverse("admin:events_calendarday_changelist")).status_code in (302, 403)
    root = make_user("root", None, is_superuser=True, is_staff=True)
    ev.world.users["root"] = root
    assert client_for("root").get(reverse("admin:events_calendarday_changelist")).status_code == 200
