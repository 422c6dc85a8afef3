"""The ledger: double entry, idempotency, whole points, reversals, append-only rows, freezing, flags, expiry."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from points.integrity import differences, totals
from points.models import Account, Entry, Movement
from points.services import ledger
from yaohai.core import backup
from yaohai.core.errors import Conflict, Invalid

from .factories import grant, household, organisation, passbook

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_a_grant_is_two_entries_and_both_balances(world):
    book = passbook(world)
    movement = grant(world, book, 30, "svc:1", occurred_at=at(2025, 3, 1, 9))
    issuing = Account.objects.get(pk=movement.debit_id)
    book.refresh_from_db()
    assert (book.balance, issuing.balance) == (30, -30)
    assert sorted(e.amount for e in movement.entries.all()) == [-30, 30]
    assert movement.entries.get(account=book).balance_after == 30
    assert differences() == []


def test_passbook_numbers_are_printed_and_unique(world):
    first, second = passbook(world), passbook(world, name="赵凤英")
    assert first.number.startswith("YW340102") and len(first.number) == len("YW340102") + 9
    assert first.number != second.number
    assert ledger.passbook_for_person(person=first.person).pk == first.pk  # one passbook per person
    home = ledger.passbook_for_household(household=household(world))
    assert home.kind == "household" and home.number


def test_a_retried_key_pays_once_and_returns_the_first_movement(world):
    book = passbook(world)
    first = grant(world, book, 10, "svc:retry")
    again = grant(world, book, 10, "svc:retry")
    assert again.pk == first.pk and again.replayed
    book.refresh_from_db()
    assert book.balance == 10
    with pytest.raises(Conflict):  # the same key for a different movement
        grant(world, book, 11, "svc:retry")


@pytest.mark.parametrize("amount", [0, -5, 1.5, "2.5", "abc", None, True, float("inf"), 10**12])
def test_only_whole_positive_points_move(world, amount):
    book = passbook(world)
    with pytest.raises(Invalid):
        grant(world, book, amount, "bad")
    assert not Movement.objects.exists()


def test_whole_numbers_written_as_text_or_floats_are_accepted(world):
    book = passbook(world)
    grant(world, book, "7", "k1")
    grant(world, book, 3.0, "k2")
    book.refresh_from_db()
    assert book.balance == 10


def test_a_passbook_is_never_overdrawn(world):
    book = passbook(world)
    grant(world, book, 5, "in")
    pool = ledger.partner_account(organisation=organisation(world))
    with pytest.raises(Conflict, match="5"):
        ledger.move(debit=book, credit=pool, amount=6, key="spend", kind="spend")
    book.refresh_from_db()
    assert book.balance == 5 and Movement.objects.count() == 1


def test_a_reversal_is_a_new_movement_with_its_reason_and_happens_once(world):
    book = passbook(world)
    movement = grant(world, book, 20, "svc:wrong")
    with pytest.raises(Invalid):
        ledger.reverse(movement=movement, reason=" ")
    reversal = ledger.reverse(movement=movement, reason="登记错误：服务未发生")
    assert reversal.kind == "reversal" and reversal.reverses_id == movement.pk and reversal.memo
    book.refresh_from_db()
    assert book.balance == 0 and Entry.objects.filter(account=book).count() == 2
    with pytest.raises(Conflict):
        ledger.reverse(movement=movement, reason="again")
    with pytest.raises(Conflict):
        ledger.reverse(movement=reversal, reason="undo the undo")
    assert differences() == []


def test_a_reversal_that_would_overdraw_is_refused(world):
    book = passbook(world)
    movement = grant(world, book, 20, "svc:1")
    ledger.move(debit=book, credit=ledger.reward_pool(node=world.node("A/S1/C1")), amount=15, key="s", kind="spend")
    with pytest.raises(Conflict):
        ledger.reverse(movement=movement, reason="登记错误")


def test_ledger_rows_refuse_updates_and_deletes_in_the_orm(world):
    grant(world, passbook(world), 5, "k")
    movement, entry = Movement.objects.get(), Entry.objects.first()
    for attempt in (
        lambda: Movement.objects.update(amount=50),
        lambda: Entry.objects.update(amount=50),
        lambda: Movement.objects.all().delete(),
        lambda: Entry.objects.filter(pk=entry.pk).delete(),
        lambda: entry.delete(),
        lambda: movement.delete(),
        lambda: entry.save(),
        lambda: Entry.objects.bulk_update([entry], ["amount"]),
    ):
        with pytest.raises(TypeError):
            attempt()
    assert Movement.objects.get().amount == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's own refusal is a PostgreSQL trigger")
def test_the_database_refuses_updates_and_deletes_of_ledger_rows(world):
    grant(world, passbook(world), 5, "k")
    for sql in (
        "UPDATE points_entry SET amount = amount * 10",
        "DELETE FROM points_entry",
        "UPDATE points_movement SET amount = 50",
        "DELETE FROM points_movement",
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Movement.objects.get().amount == 5 and sorted(Entry.objects.values_list("amount", flat=True)) == [-5, 5]


def test_check_ledger_reports_a_balance_that_is_not_the_sum_of_its_entries(world):
    book = passbook(world)
    grant(world, book, 8, "k")
    call_command("check_ledger")
    Account.objects.filter(pk=book.pk).update(balance=9)  # what a bug or a hand edit would leave
    with pytest.raises(CommandError):
        call_command("check_ledger")
    assert [(d.what, d.pk, d.expected, d.found) for d in differences()] == [("account", book.pk, 8, 9)]
    from points.tasks import sweep_ledger

    assert sweep_ledger() == 1


def test_the_restore_drill_knows_the_ledgers_totals(world):
    grant(world, passbook(world), 8, "k")
    assert "points.ledger" in backup._INVARIANTS
    value = backup._INVARIANTS["points.ledger"]("default")
    assert value == totals() and value["movements"] == 1 and value["entries"] == 2 and value["moved"] == 8


def test_a_frozen_account_neither_earns_nor_spends_until_unfrozen(world):
    book = passbook(world)
    grant(world, book, 5, "k1")
    with pytest.raises(Invalid):
        ledger.freeze(account=book, reason="")
    ledger.freeze(account=book, reason="疑似虚假登记，待核查")
    with pytest.raises(Conflict, match="frozen|冻结"):
        grant(world, book, 5, "k2")
    ledger.unfreeze(account=book)
    grant(world, book, 5, "k2")
    book.refresh_from_db()
    assert book.balance == 10


def test_earning_above_the_tenants_threshold_in_a_month_flags_the_account(world):
    policy = ledger.policy_for(world.tenants["A"].pk)
    policy.flag_threshold = 50
    policy.save()
    book = passbook(world)
    grant(world, book, 30, "k1", occurred_at=at(2025, 3, 2, 9))
    grant(world, book, 20, "k2", occurred_at=at(2025, 3, 20, 9))
    book.refresh_from_db()
    assert book.flagged_at is None  # exactly at the threshold
    grant(world, book, 1, "k3", occurred_at=at(2025, 3, 21, 9))
    book.refresh_from_db()
    assert book.flagged_at is not None and "51" in book.flag_reason
    ledger.clear_flag(account=book, note="核实无误")
    book.refresh_from_db()
    assert book.flagged_at is None and book.balance == 51


def test_the_yearly_expiry_is_entries_and_runs_once(world):
    book, other = passbook(world), passbook(world, name="赵凤英")
    grant(world, book, 40, "old", occurred_at=at(2024, 6, 1, 9))
    grant(world, book, 15, "new", occurred_at=at(2025, 6, 1, 9))
    grant(world, other, 10, "other", occurred_at=at(2025, 2, 1, 9))
    assert ledger.expire_year(tenant_id=world.tenants["A"].pk, year=2025) == 0  # the tenant has not enabled it
    policy = ledger.policy_for(world.tenants["A"].pk)
    policy.expiry_enabled = True
    policy.save()
    assert ledger.expire_year(tenant_id=world.tenants["A"].pk, year=2025) == 1
    assert ledger.expire_year(tenant_id=world.tenants["A"].pk, year=2025) == 0
    book.refresh_from_db()
    other.refresh_from_db()
    assert (book.balance, other.balance) == (15, 10)
    expiry = Movement.objects.get(kind="expiry")
    assert expiry.amount == 40 and expiry.debit_id == book.pk
    assert differences() == []


def test_entries_keep_their_stamps_when_the_grid_moves(world):
    from grids import services as grids

    book = passbook(world)
    grant(world, book, 5, "k")
    entry = Entry.objects.get(account=book)
    assert Entry.restamp_on_move is False and Account.restamp_on_move is True
    assert (entry.community_id, entry.street_id) == (world.node("A/S1/C1").pk, world.node("A/S1").pk)
    assert grids  # the move itself is the grids app's test; here the flag is what it reads
