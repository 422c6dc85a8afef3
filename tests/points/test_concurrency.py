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
