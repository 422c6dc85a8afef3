"""The audit trail: rows written in the caller's transaction, sealed into a hash chain per tenant, provably
unaltered (verify_audit), pruned after the retention with the chain still provable, never updated or deleted
through the ORM; the audit page and its sheet for the audit administrator only (404 for everyone else)."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit import services
from audit.models import Anchor, Entry, Kind

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def write(world, n=5, tenant="A", start=T0, action="events.accept"):
    node = world.nodes[f"{tenant}/S1/C1"]
    rows = []
    for i in range(n):
        rows.append(
            services.record(
                action, node, actor=world.user(f"{tenant}/S1/C1:grid_head"), address="10.1.2.3",
                before={"status": "reported"}, after={"status": "accepted"}, now=start + dt.timedelta(hours=i),
            )
        )
    services.seal_all()  # what the commit would do (tests run inside one transaction)
    return rows


def test_a_row_names_who_what_where_and_the_change(world):
    entry = write(world, n=1)[0]
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.actor_name == "a_s1_c1_grid_head" and entry.address == "10.1.2.3"
    assert entry.object_type == "grids.GridNode" and entry.object_id == str(world.nodes["A/S1/C1"].pk)
    assert entry.summary == {"status": ["reported", "accepted"]}
    assert entry.chain == world.tenants["A"].pk and entry.seq == 1 and len(entry.hash) == 64


def test_each_tenant_has_its_own_chain_and_both_verify(world):
    write(world, n=3, tenant="A")
    write(world, n=2, tenant="B")
    verdicts = {v.chain: v for v in services.verify_all()}
    assert verdicts[world.tenants["A"].pk].rows == 3 and verdicts[world.tenants["B"].pk].rows == 2
    assert all(v.intact for v in verdicts.values())
    call_command("verify_audit")  # exits 0


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(Entry._meta.db_table)), params)


def test_an_altered_row_is_found(world):
    rows = write(world)
    _raw("UPDATE {table} SET actor_name = %s WHERE id = %s", ["someone_else", rows[2].pk])
    verdict = services.verify(world.tenants["A"].pk)
    assert not verdict.intact and any("altered" in p for p in verdict.problems)
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit")


def test_a_removed_row_is_found(world):
    rows = write(world)
    _raw("DELETE FROM {table} WHERE id = %s", [rows[2].pk])
    verdict = services.verify(world.tenants["A"].pk)
    assert any("missing" in p for p in verdict.problems)


def test_a_changed_summary_is_found(world):
    rows = write(world)
    _raw("UPDATE {table} SET summary = %s WHERE id = %s", ['{"status": ["reported", "closed"]}', rows[1].pk])
    assert not services.verify(world.tenants["A"].pk).intact


def test_rows_are_append_only_through_the_orm(world):
    entry = write(world, n=1)[0]
    with pytest.raises(TypeError):
        Entry.objects.filter(pk=entry.pk).update(actor_name="x")
    with pytest.raises(TypeError):
        Entry.objects.filter(pk=entry.pk).delete()
    entry.actor_name = "x"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


def test_a_rolled_back_write_leaves_no_row(world):
    before = Entry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record("events.accept", world.nodes["A/S1/C1"], actor=world.user("A:admin"))
        raise RuntimeError("the service failed after recording")
    assert Entry.objects.count() == before


def test_pruning_keeps_183_days_and_the_chain_still_verifies(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # raised to the floor of 183
    old = write(world, n=3, start=T0)
    recent = write(world, n=2, start=T0 + dt.timedelta(days=200))
    now = T0 + dt.timedelta(days=190)
    assert services.prune(now=now) == 3
    assert set(Entry.objects.values_list("pk", flat=True)) >= {r.pk for r in recent}
    assert not Entry.objects.filter(pk__in=[r.pk for r in old]).exists()
    anchor = Anchor.objects.get(chain=world.tenants["A"].pk)
    assert anchor.seq == 4 and anchor.pruned_rows == 3
    verdict = services.verify(world.tenants["A"].pk)
    assert verdict.intact and verdict.rows == 2
    # Rows kept for less than 183 days are never pruned, whatever the setting says.
    assert services.prune(now=T0 + dt.timedelta(days=200 + 182)) == 0
    write(world, n=1, start=T0 + dt.timedelta(days=201))  # the chain goes on after its anchor
    assert services.verify(world.tenants["A"].pk).intact


def test_sealing_catches_up_rows_left_unsealed(world):
    entry = services.record("events.accept", world.nodes["A/S1/C1"], actor=world.user("A:admin"))
    assert Entry.objects.get(pk=entry.pk).seq is None  # the commit has not happened (the test's transaction)
    assert services.seal_all() == 1
    assert Entry.objects.get(pk=entry.pk).seq == 1


# --- the page -------------------------------------------------------------------------------------------------


def test_the_auditor_reads_and_exports_their_tenants_trail(world, client_for):
    write(world, n=3, tenant="A", action="events.accept")
    write(world, n=2, tenant="B", action="events.dispatch")
    client = client_for("A:auditor")
    page = client.get(reverse("audit:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("events.accept") == 3 and "events.dispatch" not in body
    filtered = client.get(reverse("audit:list"), {"kind": Kind.WRITE, "start": "2026-03-02", "end": "2026-03-02"})
    assert filtered.status_code == 200
    sheet = client.get(reverse("audit:export"))
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert sum(1 for r in rows if "events.accept" in r) == 3 and not any("events.dispatch" in r for r in rows)
    # Reading the trail is itself on the trail.
    assert Entry.objects.filter(action__in=["audit.view", "audit.export"], actor_name="a_auditor").count() == 3


def test_the_auditors_menu_leads_to_the_trail_and_no_one_elses_does(world, client_for):
    """The auditor holds no post: her home said only that, and no link led to /audit/."""
    link = f'href="{reverse("audit:list")}" data-testid="menu-audit"'
    assert link in client_for("A:auditor").get(reverse("home")).content.decode()
    for who in ("A:admin", "A/S1/C1:grid_head"):
        assert link not in client_for(who).get(reverse("home")).content.decode()


@pytest.mark.parametrize("who", ["A:admin", "A/S1/C1:grid_head", "A/S1/C1/G1:grid_worker", "B:auditor"])
def test_no_one_else_reads_it(world, client_for, who):
    write(world, n=1, tenant="A")
    client = client_for(who)
    if who == "B:auditor":
        assert "events.accept" not in client.get(reverse("audit:list")).content.decode()
        return
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 404


def test_a_superuser_is_no_auditor(world, client_for):
    from tests.world import make_user

    root = make_user("root", None, is_superuser=True, is_staff=True)
    world.users["root"] = root
    assert client_for("root").get(reverse("audit:list")).status_code == 404


@pytest.mark.parametrize("query", [{"start": "yesterday"}, {"end": "2026-02-30"}, {"kind": "everything"},
                                   {"after": "garbage"}])
def test_bad_filters_are_a_clear_400(world, client_for, query):
    response = client_for("A:auditor").get(reverse("audit:list"), query)
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


def test_the_page_pages_with_a_cursor(world, client_for):
    write(world, n=60)
    client = client_for("A:auditor")
    first = client.get(reverse("audit:list"), {"action": "events."})
    cursor = first.context["cursor"]
    assert len(first.context["rows"]) == 50 and cursor
    second = client.get(reverse("audit:list"), {"action": "events.", "after": cursor})
    assert len(second.context["rows"]) == 10 and second.context["cursor"] is None
    seen = {e.pk for e in first.context["rows"]} | {e.pk for e in second.context["rows"]}
    assert len(seen) == 60


def test_an_auditor_cannot_hold_another_administrators_rights(world):
    from django.db import IntegrityError

    auditor = world.user("A:auditor")
    auditor.is_staff = True
    with pytest.raises(IntegrityError), transaction.atomic():
        auditor.save()
