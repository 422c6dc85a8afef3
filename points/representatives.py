"""Who approves a service record as a resident representative (居民代表): the holders of the post (the right
`points.represent` over a subtree) and the residents' seats of the co-governance committees (网格共治委员会, parties).

A seat counts while its term runs, for the grid its committee sits on, when it is one of the residents' seats
(owners' committee, owner, building head) and its holder can sign in: a seat held by a staff user, or by a registry
person whose passbook is linked to a sign-in (`Account.holder`). Such a seat approves the service records of the
volunteers who live in that grid. The grid ids are read once per user object and kept
on it for the request, like grids.scope's cache.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from grids.scope import scope_for
from parties.choices import Seat
from parties.models import CommitteeSeat

from .rights import REPRESENT

# The seats that speak for the residents; the grid worker, the property company, units and the party branch
# approve nothing as representatives.
RESIDENT_SEATS = (Seat.OWNERS_COMMITTEE, Seat.OWNER, Seat.BUILDING_HEAD)
CACHE = "_points_seat_grids"


def _seats(user):
    today = timezone.localdate()
    person = Q(user_id=user.pk) | Q(resident__isnull=False, resident_id__in=_own_person(user))
    return CommitteeSeat.objects.filter(
        person, Q(term_end__isnull=True) | Q(term_end__gte=today), tenant_id=user.tenant_id,
        seat__in=RESIDENT_SEATS, term_start__lte=today,
    )


def seat_grids(user) -> frozenset[int]:
    """The grids on whose committees the user holds a resident's seat today."""
    if user is None or not getattr(user, "pk", None):
        return frozenset()
    cached = getattr(user, CACHE, None)
    if cached is not None:
        return cached
    grids = frozenset(_seats(user).values_list("grid_id", flat=True))
    setattr(user, CACHE, grids)
    return grids


def _own_person(user):
    from .models import Account

    return Account.objects.filter(holder_id=user.pk, person__isnull=False).values("person_id")


def q(user) -> Q:
    """Service records a resident representative may approve: the post's subtree, or the volunteers living in the
    seats' grids (a record is stamped at the passbook's community; its volunteer has a grid)."""
    found = scope_for(user, REPRESENT).q()
    grids = seat_grids(user)
    if grids:
        found |= Q(tenant_id=user.tenant_id, person__grid_id__in=sorted(grids))
    return found


def covers(user, record) -> bool:
    """The same test as `q()`, for one record in memory."""
    if scope_for(user, REPRESENT).covers(record):
        return True
    grids = seat_grids(user)
    return bool(grids) and record.tenant_id == user.tenant_id and record.person.grid_id in grids


def is_representative(user) -> bool:
    return not scope_for(user, REPRESENT).is_empty or bool(seat_grids(user))


def holds_passbook_or_seat(user) -> bool:
    """One query for the menu: the user holds a passbook or a resident's seat (the rights are read apart)."""
    from .models import Account

    if user is None or not getattr(user, "pk", None):
        return False
    found = get_user_model().objects.filter(pk=user.pk).annotate(
        has_passbook=Exists(Account.objects.filter(holder_id=OuterRef("pk"))), has_seat=Exists(_seats(user))
    ).values_list("has_passbook", "has_seat").first()
    return bool(found and any(found))
