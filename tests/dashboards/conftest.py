"""Dashboard fixtures: events brought through the workflow services at known times, then hand-computed KPIs.

`board` files, in community A/S1/C1 (the viewer's community, see tests/world.py), seven events reported 25 days
ago and walked through the services, plus one event in the sibling community A/S1/C2 and one in tenant B:

    ref  grid  path                                      status       closed after  on time  reworked  overdue
    e1   G1    accept dispatch sign handle verify(pass)   closed       1 h           yes      no        -
    e2   G1    … handle, verify(pass) 21 days later       closed       504 h         no       no        -
    e3   G1    … handle, verify(fail), handle, pass       closed       3 h           yes      yes       -
    e4   G1    reject                                     rejected     -             -        -         -
    e5   G1    accept dispatch sign                       in_progress  -             -        -         yes
    e6   G2    (reported just now)                        reported     -             -        -         no
    e7   G2    handled on the spot                        closed       0 h           yes      (excl.)   -

e5 was given two more working days (an approved extension request) an hour after it was signed for.

Hand-computed for A/S1/C1: events 7, rejected 1, open 2, closed 4; closure rate 4 / (7 − 1) = 66.7 %;
on-time closure rate 3 / 4 = 75.0 %; rework rate 1 / 3 = 33.3 % (e7 is excluded: handled on the spot);
extension rate 1 / 4 = 25.0 % (dispatched: e1, e2, e3, e5); overdue now 1;
average handling time (1 + 504 + 3 + 0) / 4 = 127.0 h.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from events import rollups, services
from events.catalogue import install_event_catalogue
from events.models import Category, Event, HandlingUnit
from tests.world import make_user

HOURS = dt.timedelta(hours=1)


def photo(name="after.jpg") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


class Board:
    """The events of the dashboard tests and the helpers that file them."""

    def __init__(self, world, now: dt.datetime):
        self.world = world
        self.now = now
        self.base = now - dt.timedelta(days=25)
        for tenant in world.tenants.values():
            install_event_catalogue(tenant)
        self.member = make_user("dash_unit_member", world.tenants["A"])
        self.unit = HandlingUnit.objects.create(tenant=world.tenants["A"], name="城管中队（看板）")
        self.unit.members.add(self.member)
        self.events: dict[str, Event] = {}

    def category(self, tenant="A", name="暴露垃圾"):
        return Category.objects.get(tenant=self.world.tenants[tenant], name=name, parent__isnull=False)

    def report(self, key, path, *, at=None, reported_at=None, **kwargs):
        """File an event through the service; its reporting time is then set to `reported_at` (set-up only)."""
        at = at or self.base
        tenant = path.split("/")[0]
        kwargs.setdefault("category", self.category(tenant))
        event = services.report_event(
            actor=self.world.user(f"{path}:grid_worker"), node=self.world.nodes[path], title=f"事件{key}", now=at,
            **kwargs,
        )
        Event.objects.filter(pk=event.pk).update(created_at=reported_at or at)
        # The bulk UPDATE bypassed Event.save: recount the dashboards' rollups, as any bulk write must.
        rollups.rebuild(event.tenant_id)
        self.events[key] = event
        return event

    def head(self, path):
        community = "/".join(path.split("/")[:3])
        return self.world.user(f"{community}:grid_head")

    def to_in_progress(self, event, path, at):
        services.accept(actor=self.head(path), event=event.pk, now=at)
        services.dispatch(actor=self.head(path), event=event.pk, unit=self.unit.pk, now=at)
        services.sign(actor=self.member, event=event.pk, now=at)

    def handle(self, event, at):
        services.handle(actor=self.member, event=event.pk, note="已处理", now=at)

    def verify(self, event, path, at, passed=True):
        worker = self.world.user(f"{path}:grid_worker")
        if passed:
            services.verify(actor=worker, event=event.pk, passed=True, close_reason="fixed", now=at)
        else:
            services.verify(actor=worker, event=event.pk, passed=False, note="仍有问题", now=at)

    def closed(self, key, path, *, after: dt.timedelta, reported_at=None, fail_first=False):
        b = reported_at or self.base
        event = self.report(key, path, at=b)
        self.to_in_progress(event, path, b)
        self.handle(event, b + HOURS / 2)
        if fail_first:
            self.verify(event, path, b + HOURS, passed=False)
            self.handle(event, b + 2 * HOURS)
        self.verify(event, path, b + after)
        return event

    def refresh(self):
        return {k: Event.objects.get(pk=e.pk) for k, e in self.events.items()}


@pytest.fixture
def board(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    b = Board(world, timezone.now())
    g1, g2 = "A/S1/C1/G1", "A/S1/C1/G2"
    b.closed("e1", g1, after=1 * HOURS)
    b.closed("e2", g1, after=504 * HOURS)
    b.closed("e3", g1, after=3 * HOURS, fail_first=True)
    e4 = b.report("e4", g1)
    services.reject(actor=b.head(g1), event=e4.pk, reason="invalid", note="不属实", now=b.base)
    e5 = b.report("e5", g1)
    b.to_in_progress(e5, g1, b.base)
    # More time for e5, approved: still past its moved deadline 25 days later.
    services.request_extension(
        actor=b.member, event=e5.pk, amount=2, time_unit="working_days", reason="等配件", now=b.base + HOURS
    )
    services.decide_extension(actor=b.head(g1), event=e5.pk, approve=True, now=b.base + HOURS)
    b.report("e6", g2, at=b.now, reported_at=b.now - HOURS)
    b.report("e7", g2, handled_on_spot=True, photos=[("after", photo())])
    # Outside the viewer's community: a sibling community and another tenant.
    b.closed("sibling", "A/S1/C2/G1", after=1 * HOURS)
    b.report("foreign", "B/S1/C1/G1")
    return b


class Shown:
    """What a node's page shows, read from its panels' data (dashboards.page.Page) by the events' panel keys."""

    def __init__(self, page):
        panels = page.panels
        self.page = page
        self.totals = panels["events.kpis"]["totals"]
        self.statuses = panels["events.statuses"]
        self.children = panels.get("events.ranking") or []
        self.categories = panels["events.categories"]
        self.trend = panels["events.trend"]
        self.overdue = panels["events.overdue"]
        self.next_deadline = page.valid_until
