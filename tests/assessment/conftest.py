"""The assessment's fixture: October 2026 in tenant A, events walked through the services at known times.

`month` files, with T = Wednesday 14 Oct 2026 09:00 (Asia/Shanghai), scored as of NOW = 26 Nov 2026 12:00:

    grid         ref  reporter  path                                               status       notes
    A/S1/C1/G1   e1   W1        accept +10 min … verify(pass) +1 h                 closed       on time
                 e2   W1        accept +20 days (late) … verify(pass) +26 days     closed       closed late → overdue
                 e3   W1        accept +10 min … verify(fail), handle, pass +3 h   closed       reworked
                 e4   W1        reject (invalid) +10 min                           rejected     answered on time
                 e5   W1        accept +10 min, dispatch, sign                     in_progress  past handle_due → overdue
                 e6   head      (never accepted)                                   reported     past accept_due → overdue
                 e7   W1        handled on the spot                                closed       no acceptance step
                 e8   W1        handled on the spot, 31 Oct 23:30                  closed       last minute of October
                 e0   W1        handled on the spot, 30 Sep 23:30                  closed       September: not counted
    A/S1/C1/G2   f1   W2        accept +10 min … verify(pass) +1 h                 closed       on time
    B/S1/C1/G1   b1   B's W     handled on the spot                                closed       other tenant

Hand-computed for A/S1/C1/G1 (October): events 8, rejected 1, valid 7; acceptance deadlines 6 (e1–e6), answered
on time 4 (e1, e3, e4, e5) → 66.67; closed 5 (e1, e2, e3, e7, e8), on time 4 → 80.00; handed in 3 (e1–e3),
reworked 1 → 100 − 33.33 = 66.67; passed a deadline 3 of 7 (e2, e5, e6) → 100 − 42.86 = 57.14.
W1 reported 6 (e1, e2, e3, e5, e7, e8; e4 was rejected, e6 is the head's) of the target 20 → 30.00.
Default weights 20/20/25/15/20/0: W1 = (20×30 + 20×66.67 + 25×80 + 15×66.67 + 20×57.14) / 100 = 60.76;
grid G1 (volume 7 of 20 = 35.00) = 61.76; W2 and G2 (1 of 20 = 5.00, everything else 100) = 81.00;
community C1 (8 of 40 = 20.00; 5/7 = 71.43; 5/6 = 83.33; 1/4 → 75.00; 3/8 → 62.50) = 62.87;
street S1 (8 of 80 = 10.00, the rest as C1) = 60.87; every other A subject 0.00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events import services
from events.models import Category, Event, EventLog, HandlingUnit
from tests.celery_worker import tasks_in_process  # noqa: F401  (autouse: tasks run in the process)
from tests.world import make_user

SH = ZoneInfo("Asia/Shanghai")
T = dt.datetime(2026, 10, 14, 9, 0, tzinfo=SH)
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=SH)
OCTOBER = dt.date(2026, 10, 1)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
G1, G2 = "A/S1/C1/G1", "A/S1/C1/G2"
W1, W2 = f"{G1}:grid_worker", f"{G2}:grid_worker"
HEAD = "A/S1/C1:grid_head"
DISTRICT_HEAD = "A:grid_head"


class Month:
    """Files the fixture's events and keeps them by key; each step's log row gets the step's time."""

    def __init__(self, world):
        self.world = world
        self.member = make_user("assess_unit_member", world.tenants["A"])
        self.unit = HandlingUnit.objects.create(tenant=world.tenants["A"], name="城管中队（考核）")
        self.unit.members.add(self.member)
        self.events: dict[str, Event] = {}

    def user(self, key):
        return self.world.user(key)

    def _stamp(self, event, at):
        """Logs carry the wall clock; set-up moves this step's rows to the time the step is said to happen."""
        EventLog.objects.filter(event_id=event.pk, created_at__gt=NOW).update(created_at=at)

    def report(self, key, path, at=T, reporter=None, **kwargs):
        tenant = self.world.tenants[path[0]]
        kwargs.setdefault("category", Category.objects.get(tenant=tenant, name="暴露垃圾", parent__isnull=False))
        event = services.report_event(
            actor=self.user(reporter or f"{path}:grid_worker"), node=self.world.nodes[path], title=f"考核{key}",
            now=at, **kwargs,
        )
        Event.objects.filter(pk=event.pk).update(created_at=at)
        self._stamp(event, at)
        self.events[key] = event
        return event

    def step(self, event, service, actor, at, **kwargs):
        result = service(actor=actor, event=event.pk, now=at, **kwargs)
        self._stamp(event, at)
        return result

    def accept(self, event, at):
        self.step(event, services.accept, self.user(HEAD), at)

    def to_in_progress(self, event, at):
        self.step(event, services.dispatch, self.user(HEAD), at, unit=self.unit.pk)
        self.step(event, services.sign, self.member, at)

    def handle(self, event, at):
        self.step(event, services.handle, self.member, at, note="已处理")

    def verify(self, event, at, passed=True, worker=W1):
        kwargs = {"close_reason": "fixed"} if passed else {"note": "仍有问题"}
        self.step(event, services.verify, self.user(worker), at, passed=passed, **kwargs)

    def closed(self, key, path, *, accepted_after=10 * MIN, verified_after=HOUR, rework=False):
        worker = f"{path}:grid_worker"
        event = self.report(key, path)
        accepted = T + accepted_after
        self.accept(event, accepted)
        self.to_in_progress(event, accepted)
        self.handle(event, accepted + 30 * MIN)
        if rework:
            self.verify(event, T + HOUR, passed=False, worker=worker)
            self.handle(event, T + 2 * HOUR)
        self.verify(event, T + verified_after, worker=worker)
        return event


@pytest.fixture
def month(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from tests.events.images import jpeg_bytes

    settings.MEDIA_ROOT = tmp_path

    def photo():
        return [("after", ContentFile(jpeg_bytes(), name="after.jpg"))]

    m = Month(world)
    m.closed("e1", G1)
    m.closed("e2", G1, accepted_after=20 * DAY, verified_after=26 * DAY)
    m.closed("e3", G1, rework=True, verified_after=3 * HOUR)
    e4 = m.report("e4", G1)
    m.step(e4, services.reject, m.user(HEAD), T + 10 * MIN, reason="invalid", note="不属实")
    e5 = m.report("e5", G1)
    m.accept(e5, T + 10 * MIN)
    m.to_in_progress(e5, T + 10 * MIN)
    m.report("e6", G1, reporter=HEAD)
    m.report("e7", G1, handled_on_spot=True, photos=photo())
    m.report("e8", G1, at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=SH), handled_on_spot=True, photos=photo())
    m.report("e0", G1, at=dt.datetime(2026, 9, 30, 23, 30, tzinfo=SH), handled_on_spot=True, photos=photo())
    m.closed("f1", G2)
    m.report("b1", "B/S1/C1/G1", handled_on_spot=True, photos=photo())
    return m
