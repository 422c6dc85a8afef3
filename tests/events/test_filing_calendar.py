"""The working calendar kept per process, across real transactions: a committed edit is seen at once; an edit
rolled back is never kept (tests/events/test_filing.py has the admin and the cache-time cases)."""

import pytest
from django.db import transaction

from events import calendar
from events.models import CalendarDay

from .conftest import NOW
from .test_filing import DUE_ON_THURSDAY, DUE_ON_WEDNESDAY, WEDNESDAY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The rows this test commits are truncated afterwards without a signal: keep no calendar past it."""
    calendar.forget_calendar()
    yield
    calendar.forget_calendar()


def _due(start=NOW):
    return calendar.add_working_time(start, 2, "working_hours")


def test_a_committed_edit_is_seen_and_a_rolled_back_one_is_not_kept():
    assert _due() == DUE_ON_WEDNESDAY
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=WEDNESDAY, is_workday=False)
        assert _due() == DUE_ON_THURSDAY  # the writing transaction sees its own edit
        raise RuntimeError("rolled back")
    assert _due() == DUE_ON_WEDNESDAY
    with transaction.atomic():
        CalendarDay.objects.create(date=WEDNESDAY, is_workday=False)
    assert _due() == DUE_ON_THURSDAY
    CalendarDay.objects.filter(date=WEDNESDAY).delete()
    assert _due() == DUE_ON_WEDNESDAY
