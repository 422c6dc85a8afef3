"""Writes about service centres and activities: sign-ups never beyond the places, also when many sign up at
once (the activity row is locked while its places are counted), check-in with its signal after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import NodeKind
from grids.models import GridNode
from yaohai.core.errors import Conflict, NotFound
from yaohai.core.workflow import after_commit

from ..choices import CentreLevel, Section
from ..models import Activity, ActivityPhoto, CentreSection, ServiceCentre, SignUp
from ..signals import attendance_recorded
from .common import audit, check_manage, same_tenant

LEVEL_NODES = {
    CentreLevel.STREET: (NodeKind.STREET,),
    CentreLevel.COMMUNITY: (NodeKind.COMMUNITY,),
    CentreLevel.STATION: (NodeKind.COMMUNITY, NodeKind.GRID),
}


@transaction.atomic
def open_centre(
    *, node: GridNode, level: str, name: str, place: str, hours: str, sections: Iterable[tuple[str, str]] = (),
    compound=None, actor=None,
) -> ServiceCentre:
    """A service centre at its level's place (a street, a community, or a compound station) with its sections."""
    if level not in CentreLevel.values:
        raise ValidationError({"level": [_("Choose one of the offered values.")]})
    if node.kind not in LEVEL_NODES[level] or node.is_archived:
        raise ValidationError({"node": [_("This level of centre does not sit at this place.")]})
    same_tenant(compound, node.tenant_id)
    name, place, hours = (name or "").strip(), (place or "").strip(), (hours or "").strip()
    if not (name and place and hours):
        raise ValidationError({"name": [_("A name, an address and opening hours are required.")]})
    if ServiceCentre.objects.filter(tenant_id=node.tenant_id, name=name).exists():
        raise ValidationError({"name": [_("A centre of this name exists already.")]})
    centre = ServiceCentre(node=node, level=level, name=name[:100], place=place[:200], hours=hours[:100],
                           compound=compound)
    centre.stamp_from(node)
    check_manage(actor, centre)
    sections = dict(sections)
    if any(section not in Section.values for section in sections):
        raise ValidationError({"sections": [_("Choose one of the offered values.")]})
    centre.save()
    CentreSection.objects.bulk_create(
        [CentreSection(centre=centre, section=s, description=(d or "")[:200]) for s, d in sections.items()]
    )
    audit.record("parties.centre.open", centre, after={"name": centre.name, "level": level}, actor=actor)
    return centre


@transaction.atomic
def plan_activity(
    *, centre: ServiceCentre, section: str, title: str, starts_at: dt.datetime, ends_at: dt.datetime, place: str,
    capacity: int, organiser, actor=None,
) -> Activity:
    """An activity of one of the centre's sections."""
    check_manage(actor, centre)
    if organiser.tenant_id != centre.tenant_id:
        raise NotFound()
    if not centre.sections.filter(section=section).exists():
        raise ValidationError({"section": [_("The centre has no such section.")]})
    title, place = (title or "").strip(), (place or "").strip()
    if not title or not place:
        raise ValidationError({"title": [_("A title and a place are required.")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("An activity ends after it starts.")]})
    if not (1 <= int(capacity) <= 10000):
        raise ValidationError({"capacity": [_("Between 1 and 10000 places.")]})
    activity = Activity(centre=centre, section=section, title=title[:100], starts_at=starts_at, ends_at=ends_at,
                        place=place[:100], capacity=int(capacity), organiser=organiser, node_id=centre.node_id)
    activity.stamp_from(centre.node)
    activity.save()
    audit.record("parties.activity.plan", activity, after={"title": activity.title, "capacity": capacity}, actor=actor)
    return activity


def _activity(actor, activity) -> Activity:
    rows = Activity.objects.all() if actor is None else Activity.objects.visible_to(actor)
    found = rows.select_for_update().filter(pk=getattr(activity, "pk", activity)).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def sign_up(*, activity: Activity | int, resident=None, user=None, actor=None, now: dt.datetime | None = None) -> SignUp:
    """Sign a resident or member up for an activity, if a place is left: the activity row is locked while the
    places are counted, so concurrent sign-ups never take more places than there are."""
    now = now or timezone.now()
    if (resident is None) == (user is None):
        raise ValidationError({"person": [_("Choose a person of the registry or a staff user.")]})
    activity = _activity(actor, activity)  # locked until commit: the sign-ups of this activity queue here
    check_manage(actor, activity)
    same_tenant(resident, activity.tenant_id)
    if user is not None and user.tenant_id != activity.tenant_id:
        raise NotFound()
    if now >= activity.starts_at:
        raise Conflict(_("Sign-ups close when the activity starts."))
    taken = SignUp.objects.filter(activity=activity)
    if (resident and taken.filter(resident=resident).exists()) or (user and taken.filter(user=user).exists()):
        raise Conflict(_("Signed up already."))
    if activity.signed_up >= activity.capacity:
        raise Conflict(_("No places are left."))
    row = SignUp(activity=activity, resident=resident, user=user, signed_up_at=now, node_id=activity.node_id)
    row.stamp_from(activity)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(_("Signed up already.")) from None
    activity.signed_up += 1
    activity.save(update_fields=["signed_up"])
    audit.record("parties.activity.sign_up", activity, summary={"sign_up": row.pk}, actor=actor)
    return row


@transaction.atomic
def cancel_sign_up(*, sign_up: SignUp | int, actor=None, now: dt.datetime | None = None) -> None:
    """Give a place back before the activity starts (a checked-in sign-up stays)."""
    now = now or timezone.now()
    rows = SignUp.objects.all() if actor is None else SignUp.objects.visible_to(actor)
    found = rows.filter(pk=getattr(sign_up, "pk", sign_up)).first()
    if found is None:
        raise NotFound()
    activity = _activity(actor, found.activity_id)
    check_manage(actor, activity)
    found = SignUp.objects.select_for_update().get(pk=found.pk)
    if found.checked_in_at is not None or now >= activity.starts_at:
        raise Conflict(_("A sign-up is cancelled before the activity starts."))
    found.delete()
    activity.signed_up -= 1
    activity.save(update_fields=["signed_up"])
    audit.record("parties.activity.cancel_sign_up", activity, summary={"sign_up": getattr(sign_up, "pk", sign_up)},
                 actor=actor)


@transaction.atomic
def check_in(*, sign_up: SignUp | int, actor=None, now: dt.datetime | None = None) -> SignUp:
    """Check someone in at the activity (an officer keeping party building there, or the activity's organiser);
    once committed, `attendance_recorded` tells the points passbook."""
    now = now or timezone.now()
    rows = SignUp.objects.all() if actor is None else (
        SignUp.objects.visible_to(actor) | SignUp.objects.filter(activity__organiser=actor)
    )
    found = rows.select_for_update().select_related("activity").filter(pk=getattr(sign_up, "pk", sign_up)).first()
    if found is None:
        raise NotFound()
    activity = found.activity
    if actor is None or actor.pk != activity.organiser_id:  # the organiser checks in at her own activity
        check_manage(actor, found)
    if found.checked_in_at is not None:
        raise Conflict(_("Checked in already."))
    if not (activity.starts_at - dt.timedelta(hours=1) <= now <= activity.ends_at):
        raise Conflict(_("Check-in is open from an hour before the activity until it ends."))
    found.checked_in_at = now
    found.save(update_fields=["checked_in_at"])
    hours = Decimal(str(activity.hours))
    after_commit(
        attendance_recorded.send, sender=Activity, activity_id=activity.pk, person_id=found.resident_id,
        user_id=found.user_id, hours=hours,
    )
    audit.record("parties.activity.check_in", found, after={"checked_in_at": now}, actor=actor)
    return found


def _kept_activity(actor, activity) -> Activity:
    """The activity, locked, for its organiser or an officer keeping party building there (who else may see it
    is refused; out of her sight it does not exist)."""
    rows = Activity.objects.all() if actor is None else (
        Activity.objects.visible_to(actor) | Activity.objects.filter(organiser=actor)
    )
    found = rows.select_for_update().filter(pk=getattr(activity, "pk", activity)).first()
    if found is None:
        raise NotFound()
    if actor is None or actor.pk != found.organiser_id:  # the organiser keeps her own activity
        check_manage(actor, found)
    return found


@transaction.atomic
def summarise_activity(*, activity: Activity | int, summary: str, actor=None, now: dt.datetime | None = None):
    """The activity's summary, once it has ended (its organiser, or an officer keeping party building there)."""
    now = now or timezone.now()
    activity = _kept_activity(actor, activity)
    summary = (summary or "").strip()
    if not summary or len(summary) > 10000:
        raise ValidationError({"summary": [_("A summary of at most 10000 characters is required.")]})
    if now < activity.ends_at:
        raise ValidationError({"summary": [_("An activity is summarised once it has ended.")]})
    before = activity.summary
    activity.summary = summary
    activity.save(update_fields=["summary"])
    audit.record("parties.activity.summary", activity, before={"summary": before}, after={"summary": summary},
                 actor=actor)
    return activity


@transaction.atomic
def add_activity_photos(*, activity: Activity | int, photos: Iterable, actor, now: dt.datetime | None = None):
    """Photos of the activity, added once it has started (its organiser, or an officer keeping party building
    there): re-encoded by events.images (EXIF and GPS dropped; at most MAX_PHOTOS per activity, within the
    request's pixel budget), never stored as sent."""
    from events.images import MAX_PHOTOS, clean_images

    now = now or timezone.now()
    activity = _kept_activity(actor, activity)
    if now < activity.starts_at:
        raise Conflict(_("Photos are added once the activity has started."))
    uploads = [p for p in photos if p]
    if not uploads:
        raise ValidationError({"photos": [_("Add at least one photo.")]})
    if activity.photos.count() + len(uploads) > MAX_PHOTOS * 2:
        raise ValidationError({"photos": [_("At most %(n)d photos of an activity.") % {"n": MAX_PHOTOS * 2}]})
    try:
        cleaned = clean_images(uploads)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    saved = []
    for content in cleaned:
        photo = ActivityPhoto(activity=activity, uploaded_by=actor)
        photo.image.save(content.name, content, save=False)
        photo.save()
        saved.append(photo)
    audit.record("parties.activity.photos", activity, summary={"photos": len(saved)}, actor=actor)
    return saved
