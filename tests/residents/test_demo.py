"""load_demo_residents: the demo resident, confirmed in her community, with one report; a second run skips."""

from io import StringIO

from django.core.management import call_command

from events.catalogue import install_event_catalogue
from events.choices import Source
from events.models import Event
from residents.choices import AccountStatus
from residents.models import ReportLink, ResidentAccount


def test_the_demo_resident_loads_once(world):
    install_event_catalogue(world.tenants["A"])
    out = StringIO()
    call_command("load_demo_residents", "--tenant", world.tenants["A"].code, stdout=out)
    account = ResidentAccount.objects.get()
    assert account.status == AccountStatus.CONFIRMED and account.phone_masked == "138****0001"
    assert Event.objects.get().source == Source.RESIDENT
    assert ReportLink.objects.get().account == account
    call_command("load_demo_residents", "--tenant", world.tenants["A"].code, stdout=out)
    assert ResidentAccount.objects.count() == 1 and Event.objects.count() == 1
    assert "skipped" in out.getvalue()
