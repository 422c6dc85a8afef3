import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from events.choices import Status
from events.demo import create_demo_events
from events.models import Event, EventLog

pytestmark = pytest.mark.django_db


def test_demo_events_cover_every_state_and_the_past_year(world):
    made = create_demo_events(world.tenants["A"], count=50, seed=1)
    assert set(made) == set(Status.values)
    assert Event.objects.filter(tenant=world.tenants["A"]).count() == 50
    oldest = Event.objects.order_by("created_at").first().created_at
    newest = Event.objects.order_by("-created_at").first().created_at
    assert (newest - oldest).days > 100
    # Every event's log starts at its (shifted) creation time.
    for event in Event.objects.all()[:10]:
        assert EventLog.objects.filter(event=event).order_by("id").first().created_at == event.created_at


def test_command_skips_tenants_with_events(world, capsys):
    call_command("load_demo_events", world.tenants["B"].code, "--count", "5", "--recent", "0")
    call_command("load_demo_events", world.tenants["B"].code, "--count", "5", "--recent", "0")
    assert Event.objects.filter(tenant=world.tenants["B"]).count() == 5
    assert "已有事件，跳过" in capsys.readouterr().out


def test_history_goes_in_bulk_with_its_times_and_keeps_the_rollups_exact(world):
    from events import rollups
    from events.demo import load_history
    from events.models import EventRollup, EventSequence

    tenant = world.tenants["A"]
    began = timezone.now()
    made = load_history(tenant, count=400, days=200, after_days=14, seed=3)
    events = Event.objects.filter(tenant=tenant)
    assert sum(made.values()) == events.count() == 400
    assert {"closed", "rejected"} <= set(made)
    oldest, newest = events.order_by("created_at").first(), events.order_by("-created_at").first()
    assert 150 < (began - oldest.created_at).days <= 200 and (began - newest.created_at).days >= 14
    # Every event's first log row is its report, at its reporting time (not the time of the insert).
    first = EventLog.objects.filter(event=oldest).order_by("id").first()
    assert (first.action, first.created_at) == ("report", oldest.created_at)
    # The write seam added what they count for: the stored rollups equal a recount, and the KPIs see them.
    assert EventRollup.objects.filter(tenant=tenant).exists()
    assert rollups.drift(tenant.pk) == []
    # References follow the services' pattern, per reporting day, and the day counters continue after them:
    # a second load adds as many events again without a clash.
    assert oldest.reference.startswith(f"{tenant.code}-")
    day_counts = EventSequence.objects.filter(tenant=tenant).values_list("last", flat=True)
    assert sum(day_counts) == 400
    load_history(tenant, count=100, days=200, after_days=14, seed=4)
    assert events.values("reference").distinct().count() == 500
    assert rollups.drift(tenant.pk) == []


def test_command_loads_history_then_recent_events_through_the_services(world, capsys):
    tenant = world.tenants["B"]
    began = timezone.now()
    call_command("load_demo_events", tenant.code, "--count", "120", "--recent", "10", "--recent-days", "7")
    out = capsys.readouterr().out
    events = Event.objects.filter(tenant=tenant)
    assert events.count() == 130
    assert "历史事件 120/120" in out and "130 个事件" in out
    # The last week's ten went through the services: filed by a grid worker, each step logged by its actor.
    recent = events.filter(created_at__gte=began - dt.timedelta(days=7, hours=8))
    assert recent.count() == 10
    assert EventLog.objects.filter(event__in=recent, action="accept").exclude(actor=F("event__reporter")).exists()


def test_command_refuses_nonsense_counts(world):
    with pytest.raises(CommandError):
        call_command("load_demo_events", world.tenants["B"].code, "--recent-days", "400")
    assert not Event.objects.filter(tenant=world.tenants["B"]).exists()


def test_the_seam_refuses_a_column_the_model_does_not_have(world):
    from events.services import insert_history

    with pytest.raises(ValueError, match="unit"):
        insert_history([], logs=[], extensions=[{"event_id": 1, "unit": "hours"}])
    assert not Event.objects.exists()
