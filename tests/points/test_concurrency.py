"""On PostgreSQL: many concurrent spends and retries against limited balances never overdraw or pay twice."""

import pytest
from django.db import connection

from points.integrity import differences
from points.models import Account, Movement
from points.services import ledger
from tests.threads import run_threads
from yaohai.core.errors import Conflict

from .factories import grant, organisation, passbook

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proved on PostgreSQL"),
]


def test_concurrent_spends_and_retries_never_overdraw_nor_pay_twice(world):
    books = [passbook(world, name=f"管家{i}") for i in range(4)]
    for i, book in enumerate(books):
        grant(world, book, 10, f"seed:{i}")
    partner = ledger.partner_account(organisation=organisation(world))

    def spend(book_pk, n):
        def job():
            book = Account.objects.get(pk=book_pk)
            try:
                # Every key is sent twice (a double submit): it must be paid at most once.
                return ledger.move(debit=book, credit=partner, amount=3, key=f"spend:{book_pk}:{n}", kind="spend").pk
            except Conflict:
                return None

        return job

    jobs = [spend(book.pk, n) for book in books for n in range(5) for _twice in range(2)]
    results = run_threads(jobs)
    paid = Movement.objects.filter(kind="spend")
    assert paid.count() == 4 * 3  # 10 points buy three spends of 3 on each passbook
    assert len({pk for pk in results if pk}) == paid.count()
    for book in books:
        book.refresh_from_db()
        assert book.balance == 1
    partner.refresh_from_db()
    assert partner.balance == 36
    assert differences() == []


def test_forty_concurrent_redemptions_against_ten_items_never_oversell_nor_overdraw(world):
    from points.models import Redemption, Reward
    from points.services import spending

    from .factories import reward

    item = reward(world, price=10, stock=10, sponsor=organisation(world))
    books = [passbook(world, name=f"志愿者{i}") for i in range(10)]
    for i, book in enumerate(books):
        grant(world, book, 10 if i % 2 else 25, f"seed:{i}")  # half can pay once, half twice: 15 > 10 in stock

    def redeem(book_pk, n):
        def job():
            try:
                return spending.redeem(
                    actor=None, account=Account.objects.get(pk=book_pk), reward=Reward.objects.get(pk=item.pk),
                    key=f"r:{book_pk}:{n % 2}",  # n = 2, 3 repeat the keys of 0, 1: double submits
                ).pk
            except Conflict:
                return None

        return job

    results = run_threads([redeem(book.pk, n) for book in books for n in range(4)])
    assert len(results) == 40
    item.refresh_from_db()
    sold = Redemption.objects.filter(reward=item)
    assert item.stock == 0 and sold.count() == 10
    assert len({pk for pk in results if pk}) == 10  # a double submit got the first redemption back
    assert not Account.objects.filter(balance__lt=0, kind__in=["volunteer", "household"]).exists()
    assert Movement.objects.filter(kind="spend").count() == sold.count()
    assert sorted(Movement.objects.filter(kind="spend").values_list("key", flat=True)) == sorted(
        f"redeem:{r.key}" for r in sold
    )
    assert differences() == []


def test_the_bench_s_concurrency_run_holds_at_test_size(world, capsys):
    """bench/points.py --concurrency (1,000 against 100 in docs/bench.md), here 80 requests from 8 threads."""
    from bench.points import concurrency

    assert concurrency(80, 8) is True
    printed = capsys.readouterr().out
    assert "oversold: 0" in printed and "keys paid twice: 0" in printed and "8 in stock" in printed


def test_a_registration_submitted_eight_times_at_once_makes_one_record(world):
    """A double tap or a retried request racing the first: the unique (tenant, key) decides, every submission
    answers the one record, and nothing else is written twice (its log row, its audit row)."""
    import datetime as dt

    from django.utils import timezone

    from audit.models import Entry as AuditEntry
    from points.models import ServiceLog, ServiceRecord, ServiceType
    from points.services import earning
    from registry.models import Resident

    from .factories import person, service_type, staff

    kind = service_type(world)
    steward = person(world, name="张玉梅")  # her passbook is opened by the first submission, under the race too
    registrar = staff(world, "registrar")
    started = timezone.make_aware(dt.datetime(2025, 4, 1, 9))

    def submit():
        record = earning.register_service(
            actor=registrar, person=Resident.objects.get(pk=steward.pk),
            service_type=ServiceType.objects.get(pk=kind.pk), started_at=started, minutes=90, key="double-tap",
        )
        return record.pk, record.replayed

    results = run_threads([submit for _ in range(8)])
    records = ServiceRecord.objects.filter(person=steward)
    assert records.count() == 1
    assert {pk for pk, _replayed in results} == {records.get().pk}
    assert sorted(replayed for _pk, replayed in results) == [False] + [True] * 7
    assert ServiceLog.objects.filter(record=records.get()).count() == 1
    assert AuditEntry.objects.filter(action="points.register_service").count() == 1
    assert Account.objects.filter(person=steward).count() == 1
