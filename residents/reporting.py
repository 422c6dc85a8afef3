"""A resident's 随手拍: filed through events.services.report_event by her district's intake account, followed by her.

The intake account is a user of the district with one post, 居民上报通道 (rights: report), on the district's root:
it is the reporter of record of every resident report, so the event goes to its grid's dispatchers for acceptance
like any other, and the resident herself is linked to it (ReportLink), never copied into it: the event's resident
name holds her masked number only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import services as audit
from events.choices import OPEN_STATUSES, LogAction, PhotoKind, Source
from events.duplicates import DEFAULT_WINDOW_DAYS
from events.images import check_pixel_budget, clean_images
from events.models import Category, Event, EventLog
from events.services import report_event
from grids import geo
from grids.choices import NodeKind, PostTier
from grids.models import Assignment, GridNode, Post, Tenant, User
from grids.selectors import point_outside_district
from yaohai.core.errors import Invalid, NotAllowed, NotFound

from . import throttles
from .choices import INTAKE_POST, LinkRole
from .models import ReportLink, ResidentAccount, ResidentSettings
from .services import _limits

INTAKE_START = dt.date(2000, 1, 1)

# The public steps of an event's timeline, in plain words; every other log row (pauses, extensions, escalations,
# re-checks) is internal. Staff names and notes are never shown.
PUBLIC_STEPS = {
    LogAction.REPORT: gettext_lazy("Reported"),
    LogAction.HANDLE_ON_SPOT: gettext_lazy("Fixed on the spot"),
    LogAction.ACCEPT: gettext_lazy("Accepted by the community"),
    LogAction.REJECT: gettext_lazy("Not taken up"),
    LogAction.DISPATCH: gettext_lazy("Sent to those who fix it"),
    LogAction.SIGN: gettext_lazy("Work has started"),
    LogAction.HANDLE: gettext_lazy("Fixed, being checked"),
    LogAction.VERIFY_PASS: gettext_lazy("Checked and closed"),
    LogAction.VERIFY_FAIL: gettext_lazy("Check failed: being fixed again"),
    LogAction.REOPEN: gettext_lazy("Reopened"),
}


def intake_actor(tenant: Tenant) -> User:
    """The district's intake account (created on first use): it files residents' reports, and signs in never."""
    user = User.objects.filter(username=f"intake-{tenant.code}").first()
    if user is None:
        user = User(username=f"intake-{tenant.code}", tenant=tenant, display_name="居民随手拍")
        user.set_unusable_password()
        user.save()
    post, _created = Post.objects.get_or_create(
        tenant=tenant, code=INTAKE_POST,
        defaults={"name": "居民上报通道", "tier": PostTier.SUPPORT, "rights": ["report"], "sort_order": 990,
                  "duties": "代居民提交随手拍上报（系统账号，不能登录）。"},
    )
    if not Assignment.objects.current(timezone.localdate()).filter(user=user, post=post).exists():
        root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
        row = Assignment(user=user, post=post, node=root, start_date=INTAKE_START)
        row.stamp_from(root)
        row.save()
    return user


def categories(tenant: Tenant):
    """The district's active subcategories, by main category: what a resident picks in plain words."""
    return list(
        Category.objects.filter(tenant=tenant, parent__isnull=False, is_active=True, parent__is_active=True)
        .select_related("parent").order_by("parent__sort_order", "sort_order", "name")
    )


def grids_of(tenant: Tenant):
    return GridNode.objects.filter(tenant=tenant, kind=NodeKind.GRID, is_archived=False).order_by("tree_id", "lft")


def grid_at(tenant: Tenant, lon: float, lat: float) -> GridNode | None:
    """The grid of the district holding the point, None when no grid's boundary does; Invalid outside the
    district (with its name, in plain words)."""
    if point_outside_district(tenant_id=tenant.pk, lon=lon, lat=lat):
        raise Invalid(_("This place is outside %(district)s: reports here go to the district where it lies.")
                      % {"district": tenant.name})
    for grid in grids_of(tenant).grids_at(lon, lat).only("id", "boundary", "tenant_id"):
        if grid.boundary and geo.contains_point(grid.boundary, lon, lat):
            return grids_of(tenant).get(pk=grid.pk)
    return None


def map_grids(account: ResidentAccount):
    """The grids drawn on her 随手拍 map, to tap where the problem is: her community's once she has named it (a
    map of a whole district's grids is too fine to tap on a phone), else the district's."""
    grids = grids_of(account.tenant)
    if account.has_community and grids.filter(parent_id=account.community_id).exists():
        return grids.filter(parent_id=account.community_id)
    return grids


def _place(account: ResidentAccount, *, grid_id, lon, lat) -> GridNode:
    """The grid the report belongs to: the one holding her point, else the one she chose, else her community's."""
    tenant = account.tenant
    if lon is not None and lat is not None:
        found = grid_at(tenant, lon, lat)
        if found is not None:
            return found
    if grid_id not in (None, ""):
        try:
            return grids_of(tenant).get(pk=int(grid_id))
        except (GridNode.DoesNotExist, TypeError, ValueError):
            raise Invalid(_("Choose a place in your district.")) from None
    if account.has_community:
        first = grids_of(tenant).filter(parent_id=account.community_id).first()
        if first is not None:
            return first
    raise Invalid(_("Tap the map, use your position or choose a place."))


def _coordinates(lon, lat) -> tuple[float | None, float | None]:
    if lon in (None, "") and lat in (None, ""):
        return None, None
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise Invalid(_("The position could not be read: choose a place instead.")) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid(_("The position could not be read: choose a place instead."))
    return lon, lat


def file_report(*, account: ResidentAccount, category_id, description: str, grid_id=None, lon=None, lat=None,
                uploads=(), address: str = "", key: str | None = None, now: dt.datetime | None = None) -> Event:
    """File her 随手拍 as an event of the grid where it is (source "resident"), and make her its follower."""
    now = now or timezone.now()
    if account.is_blocked:
        raise NotAllowed(_("This account has been blocked by the district. Please call your community."))
    lon, lat = _coordinates(lon, lat)
    grid = _place(account, grid_id=grid_id, lon=lon, lat=lat)
    try:
        category = Category.objects.get(pk=int(category_id), tenant=account.tenant, parent__isnull=False,
                                        is_active=True)
    except (Category.DoesNotExist, TypeError, ValueError):
        raise Invalid(_("Choose what kind of problem it is.")) from None
    description = (description or "").strip()
    if not description:
        raise Invalid(_("Say in a few words what is wrong."))
    uploads = list(uploads)
    try:
        check_pixel_budget(uploads)
        photos = [(PhotoKind.REPORT, content) for content in clean_images(uploads)]
    except ValidationError as error:
        raise Invalid(" ".join(error.messages)) from None
    limits = _limits()
    if not throttles.hit("report_account", str(account.pk), limit=limits["report_account"][0],
                         seconds=limits["report_account"][1]):
        raise Invalid(_("You have sent many reports today. Thank you; please try again tomorrow."))
    if not throttles.hit("report_address", address, limit=limits["report_address"][0],
                         seconds=limits["report_address"][1]):
        raise Invalid(_("Many reports were sent from here today. Please try again tomorrow."))
    actor = intake_actor(account.tenant)
    with transaction.atomic():
        try:
            event = report_event(
                actor=actor, node=grid, category=category, title=category.name[:50], description=description,
                lon=lon, lat=lat, source=Source.RESIDENT, resident_name=f"居民 {account.phone_masked}",
                photos=photos, idempotency_key=f"r{account.pk}-{key}" if key else None, now=now,
            )
        except ValidationError as error:
            raise Invalid(" ".join(error.messages)) from None
        link, created = ReportLink.objects.get_or_create(
            account=account, event=event, defaults={"role": LinkRole.REPORTER, "created_at": now}
        )
        if created:
            audit.record("residents.report", event, after={"account": account.pk, "reference": event.reference},
                         actor=account.user)
    return event


@transaction.atomic
def join_event(*, account: ResidentAccount, event_id, now: dt.datetime | None = None) -> ReportLink:
    """She joins an open event someone already reported (这里已有人上报) and follows it instead of filing again."""
    if account.is_blocked:
        raise NotAllowed(_("This account has been blocked by the district. Please call your community."))
    event = _joinable(account.tenant, event_id)
    if event is None:
        raise NotFound(_("No such open report."))
    link, created = ReportLink.objects.get_or_create(
        account=account, event=event, defaults={"role": LinkRole.SUPPORTER, "created_at": now or timezone.now()}
    )
    if created:
        audit.record("residents.join", event, after={"account": account.pk}, actor=account.user)
    return link


def _joinable(tenant, event_id) -> Event | None:
    """An open event of her district filed within the window, which a resident may join as a supporter."""
    window = getattr(settings, "RESIDENT_DUPLICATE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)
    try:
        return Event.objects.get(
            pk=int(event_id), tenant_id=tenant.pk, status__in=list(OPEN_STATUSES),
            created_at__gte=timezone.now() - dt.timedelta(days=window),
        )
    except (Event.DoesNotExist, TypeError, ValueError):
        return None


def public_timeline(event: Event) -> list[dict]:
    """The public steps of an event, oldest first: what happened, when and by whom — the staff member's role (their
    post), or their name where the district shows names (ResidentSettings.show_staff_names); never a note. The
    district's intake account (who files residents' reports) is named by no one."""
    rows = list(EventLog.objects.filter(event=event, action__in=list(PUBLIC_STEPS)).order_by("created_at", "id")
                .only("action", "created_at", "actor_id"))
    intake = f"intake-{event.tenant.code}" if event.tenant_id else None
    actors = {row.actor_id for row in rows if row.actor_id}
    names = dict(User.objects.filter(pk__in=actors).exclude(username=intake)
                 .values_list("pk", "display_name")) if actors else {}
    who: dict[int, str] = {}
    for user_id, post in (Assignment.objects.current(timezone.localdate()).filter(user_id__in=list(names))
                          .order_by("user_id", "post__sort_order", "id").values_list("user_id", "post__name")):
        who.setdefault(user_id, post)
    if names and ResidentSettings.of(event.tenant_id).show_staff_names:
        who.update({pk: name for pk, name in names.items() if name})
    return [{"label": PUBLIC_STEPS[row.action], "at": row.created_at, "who": who.get(row.actor_id, "")}
            for row in rows]


def my_reports(account: ResidentAccount):
    """The events she follows, newest first, with the link's role."""
    return list(ReportLink.objects.filter(account=account).select_related("event", "event__category")[:200])


def my_report(account: ResidentAccount, event_id) -> ReportLink:
    """One event she follows; any other (someone else's, another district's, none) is the same 404."""
    try:
        return ReportLink.objects.select_related("event", "event__category", "event__node").get(
            account=account, event_id=int(event_id)
        )
    except (ReportLink.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such report.")) from None
