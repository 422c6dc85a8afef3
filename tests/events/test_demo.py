import pytest
from django.core.management import call_command

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
    call_command("load_demo_events", world.tenants["B"].code, "--count", "5")
    call_command("load_demo_events", world.tenants["B"].code, "--count", "5")
    assert Event.objects.filter(tenant=world.tenants["B"]).count() == 5
    assert "已有事件，跳过" in capsys.readouterr().out
