"""The ledger's writes: open accounts, move points (idempotent, locked, double entry), reverse, freeze, expire.

Every movement goes through `move`: it locks both accounts (lower id first, so two movements never deadlock),
returns the first movement when its idempotency key was paid already, refuses a frozen account or a passbook that
would go below zero, and writes the movement, its two entries and both balances in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from dashboards import cache as dashboard_cache
from grids.choices import LEVELS
from grids.models import GridNode
from yaohai.core.errors import Conflict, Invalid

from ..choices import NEVER_NEGATIVE, PASSBOOK_KINDS, AccountKind, MovementKind
from ..models import Account, Entry, LedgerPolicy, Movement

NUMBER_PREFIX = "YW"  # e网 — printed before the tenant's code on every passbook


def _check_digit(digits: str) -> str:
    """The Luhn check digit, so a mistyped passbook number is caught at the counter."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def passbook_number(tenant_code: str, account_id: int) -> str:
    body = f"{tenant_code}{account_id:08d}"
    return f"{NUMBER_PREFIX}{body}{_check_digit(body)}"


def policy_for(tenant_id: int) -> LedgerPolicy:
    """The tenant's ledger policy (created with the defaults on first use)."""
    policy, _created = LedgerPolicy.objects.get_or_create(tenant_id=tenant_id)
    return policy


def _open(*, kind: str, node: GridNode, name: str, actor=None, **holder) -> Account:
    account = Account(kind=kind, node=node, name=name[:100], **holder)
    account.stamp_from(node)
    account.save()
    account.number = passbook_number(node.tenant.code, account.pk)
    account.save(update_fields=["number"])
    audit.record("points.open_account", account, after={"kind": kind, "number": account.number}, actor=actor)
    return account


@transaction.atomic
def passbook_for_person(*, person, actor=None) -> Account:
    """The volunteer's passbook (opened on first use): one per registry person, in the person's community."""
    account = Account.objects.filter(kind=AccountKind.VOLUNTEER, person=person).first()
    if account is not None:
        return account
    node = GridNode.objects.get(pk=person.community_id or person.node_id)
    try:
        with transaction.atomic():
            return _open(kind=AccountKind.VOLUNTEER, node=node, name=person.name, person=person, actor=actor)
    except IntegrityError:  # opened by a concurrent request
        return Account.objects.get(kind=AccountKind.VOLUNTEER, person=person)


@transaction.atomic
def passbook_for_household(*, household, actor=None) -> Account:
    """The household's passbook (opened on first use): one per registry household."""
    account = Account.objects.filter(kind=AccountKind.HOUSEHOLD, household=household).first()
    if account is not None:
        return account
    node = GridNode.objects.get(pk=household.community_id or household.node_id)
    try:
        with transaction.atomic():
            return _open(
                kind=AccountKind.HOUSEHOLD, node=node, name=str(household), household=household, actor=actor
            )
    except IntegrityError:
        return Account.objects.get(kind=AccountKind.HOUSEHOLD, household=household)


def _node_account(kind: str, node: GridNode, name: str, actor=None) -> Account:
    account = Account.objects.filter(kind=kind, node=node).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return _open(kind=kind, node=node, name=name, actor=actor)
    except IntegrityError:
        return Account.objects.get(kind=kind, node=node)


@transaction.atomic
def issuing_account(*, node: GridNode, actor=None) -> Account:
    """The account a community (or, at the root, the tenant) grants points from; it runs negative by design."""
    if node.kind not in ("community", "district"):
        raise Invalid(_("Points are issued by a community or by the district."))
    return _node_account(AccountKind.ISSUING, node, _("%(node)s issuing account") % {"node": node.name}, actor)


@transaction.atomic
def reward_pool(*, node: GridNode, actor=None) -> Account:
    """The community's reward pool: the points spent on the community's own rewards go here."""
    return _node_account(AccountKind.POOL, node, _("%(node)s reward pool") % {"node": node.name}, actor)


@transaction.atomic
def partner_account(*, organisation, actor=None) -> Account:
    """A partner unit's account (a registry organisation): the points spent on its rewards go here."""
    account = Account.objects.filter(kind=AccountKind.PARTNER, organisation=organisation).first()
    if account is not None:
        return account
    node = GridNode.objects.get(pk=organisation.node_id)
    try:
        with transaction.atomic():
            return _open(
                kind=AccountKind.PARTNER, node=node, name=organisation.name, organisation=organisation, actor=actor
            )
    except IntegrityError:
        return Account.objects.get(kind=AccountKind.PARTNER, organisation=organisation)


def _whole_points(amount) -> int:
    """Whole, positive points only: refuse fractions, text and negatives in the user's language."""
    if isinstance(amount, bool):
        raise Invalid(_("Points must be a whole number."))
    if not isinstance(amount, int):
        try:
            as_float = float(amount)
            whole = int(as_float)
        except (TypeError, ValueError, OverflowError):
            raise Invalid(_("Points must be a whole number.")) from None
        if as_float != whole:
            raise Invalid(_("Points must be a whole number."))
        amount = whole
    if amount > 10**9:
        raise Invalid(_("That is more points than one movement may carry."))
    if amount <= 0:
        raise Invalid(_("Points must be more than zero."))
    return amount


def _same_request(movement: Movement, *, debit: Account, credit: Account, amount: int) -> Movement:
    """A retried key returns the first movement; the same key for a different movement is a conflict."""
    if (movement.debit_id, movement.credit_id, movement.amount) != (debit.pk, credit.pk, amount):
        raise Conflict(_("This request was already carried out with different contents."))
    movement.replayed = True
    return movement


@transaction.atomic
def move(
    *,
    debit: Account,
    credit: Account,
    amount,
    key: str,
    kind: str,
    memo: str = "",
    actor=None,
    occurred_at: dt.datetime | None = None,
    source_type: str = "",
    source_id: str = "",
    rule_version_id: int | None = None,
    reverses: Movement | None = None,
    allow_frozen: bool = False,
) -> Movement:
    """Move whole points from `debit` to `credit`, once per key: the one way the ledger is written."""
    amount = _whole_points(amount)
    if not key or len(key) > 120:
        raise Invalid(_("A movement needs an idempotency key of at most 120 characters."))
    if debit.pk == credit.pk:
        raise Invalid(_("Points move between two different accounts."))
    if debit.tenant_id != credit.tenant_id:
        raise Invalid(_("Points move within one district."))
    tenant_id = debit.tenant_id
    earlier = Movement.objects.filter(tenant_id=tenant_id, key=key).first()
    if earlier is not None:
        return _same_request(earlier, debit=debit, credit=credit, amount=amount)
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=[debit.pk, credit.pk]).order_by("pk")}
    debit, credit = locked[debit.pk], locked[credit.pk]
    # The first request may have committed while this one waited for the locks.
    earlier = Movement.objects.filter(tenant_id=tenant_id, key=key).first()
    if earlier is not None:
        return _same_request(earlier, debit=debit, credit=credit, amount=amount)
    if not allow_frozen:
        for account in (debit, credit):
            if account.is_frozen:
                raise Conflict(_("Passbook %(number)s is frozen.") % {"number": account.number})
    if debit.kind in NEVER_NEGATIVE and debit.balance < amount:
        raise Conflict(
            _("Not enough points: %(balance)d available, %(amount)d needed.")
            % {"balance": debit.balance, "amount": amount}
        )
    when = occurred_at or timezone.now()
    try:
        with transaction.atomic():
            movement = Movement.objects.create(
                tenant_id=tenant_id, key=key, kind=kind, debit=debit, credit=credit, amount=amount, memo=memo[:200],
                reverses=reverses, source_type=source_type, source_id=str(source_id), occurred_at=when,
                rule_version_id=rule_version_id, created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:  # the same key, committed by a concurrent request after our second look
        earlier = Movement.objects.filter(tenant_id=tenant_id, key=key).first()
        if earlier is None:
            raise
        return _same_request(earlier, debit=debit, credit=credit, amount=amount)
    debit.balance -= amount
    credit.balance += amount
    entries = []
    for account, signed in ((debit, -amount), (credit, amount)):
        entry = Entry(
            account=account, movement=movement, amount=signed, balance_after=account.balance, occurred_at=when,
            node_id=account.node_id,
        )
        entry.stamp_from(account)
        entries.append(entry)
    Entry.objects.bulk_create(entries)
    dashboard_cache.changed(  # the points panel of the nodes above both accounts is computed again
        "points", {getattr(a, f"{level}_id") for a in (debit, credit) for level in LEVELS}
    )
    Account.objects.filter(pk=debit.pk).update(balance=debit.balance)
    Account.objects.filter(pk=credit.pk).update(balance=credit.balance)
    if credit.kind in PASSBOOK_KINDS and kind == MovementKind.GRANT:
        _flag_if_above_threshold(credit, when)
    movement.replayed = False
    return movement


def _flag_if_above_threshold(account: Account, when: dt.datetime) -> None:
    """An account earning more than the tenant's monthly threshold is flagged for review (never refused)."""
    threshold = policy_for(account.tenant_id).flag_threshold
    if not threshold or account.flagged_at is not None:
        return
    local = timezone.localtime(when)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    earned = (
        Entry.objects.filter(
            account=account, amount__gt=0, movement__kind=MovementKind.GRANT, occurred_at__gte=month_start
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if earned > threshold:
        reason = _("Earned %(earned)d points in %(month)s, above the threshold of %(threshold)d.") % {
            "earned": earned, "month": f"{local:%Y-%m}", "threshold": threshold,
        }
        Account.objects.filter(pk=account.pk).update(flagged_at=timezone.now(), flag_reason=reason[:200])
        audit.record("points.flag", account, after={"flag_reason": reason})


@transaction.atomic
def reverse(*, movement: Movement, reason: str, actor=None, key: str | None = None) -> Movement:
    """Correct a movement by the opposite movement with a reason; a movement is reversed at most once."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the movement is reversed."))
    if movement.kind == MovementKind.REVERSAL:
        raise Conflict(_("A reversal is not reversed again: record a new movement instead."))
    if Movement.objects.filter(reverses=movement).exists():
        raise Conflict(_("This movement has been reversed already."))
    debit = Account.objects.get(pk=movement.credit_id)
    credit = Account.objects.get(pk=movement.debit_id)
    try:
        with transaction.atomic():
            result = move(
                debit=debit, credit=credit, amount=movement.amount, key=key or f"reverse:{movement.pk}",
                kind=MovementKind.REVERSAL, memo=reason, actor=actor, reverses=movement,
                source_type="movement", source_id=str(movement.pk), allow_frozen=True,
            )
    except IntegrityError:
        raise Conflict(_("This movement has been reversed already.")) from None
    audit.record("points.reverse", movement, after={"reversal": result.pk, "reason": reason}, actor=actor)
    return result


@transaction.atomic
def freeze(*, account: Account, reason: str, actor=None) -> Account:
    """Stop an account from earning or spending until it is unfrozen (reversals still go through)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the account is frozen."))
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.is_frozen:
        raise Conflict(_("Passbook %(number)s is frozen.") % {"number": account.number})
    Account.objects.filter(pk=account.pk).update(is_frozen=True, frozen_reason=reason[:200])
    audit.record("points.freeze", account, before={"is_frozen": False}, after={"is_frozen": True, "reason": reason},
                 actor=actor)
    account.refresh_from_db()
    return account


@transaction.atomic
def unfreeze(*, account: Account, actor=None) -> Account:
    """Let a frozen account earn and spend again."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if not account.is_frozen:
        raise Conflict(_("This account is not frozen."))
    Account.objects.filter(pk=account.pk).update(is_frozen=False, frozen_reason="")
    audit.record("points.unfreeze", account, before={"is_frozen": True}, after={"is_frozen": False}, actor=actor)
    account.refresh_from_db()
    return account


@transaction.atomic
def clear_flag(*, account: Account, note: str = "", actor=None) -> Account:
    """Close the review of a flagged account (the earnings stand; reverse any that should not)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.flagged_at is None:
        raise Conflict(_("This account is not flagged."))
    Account.objects.filter(pk=account.pk).update(flagged_at=None, flag_reason="")
    audit.record("points.clear_flag", account, before={"flag_reason": account.flag_reason}, after={"note": note},
                 actor=actor)
    account.refresh_from_db()
    return account


def expire_year(*, tenant_id: int, year: int, actor=None) -> int:
    """The yearly expiry, as entries: on 31 December, each passbook's points beyond what it earned in the last
    twelve months go back to its community's issuing account. Idempotent per account and year; returns how many
    accounts expired points. Does nothing unless the tenant's policy enables expiry."""
    if not policy_for(tenant_id).expiry_enabled:
        return 0
    tz = timezone.get_current_timezone()
    cutoff = dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=tz)
    since = dt.datetime(year, 1, 1, tzinfo=tz)
    count = 0
    for account in Account.objects.filter(tenant_id=tenant_id, kind__in=PASSBOOK_KINDS, balance__gt=0).iterator():
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=account.pk)
            recent = (
                Entry.objects.filter(account=locked, amount__gt=0, occurred_at__gt=since, occurred_at__lte=cutoff)
                .exclude(movement__kind__in=[MovementKind.REFUND, MovementKind.REVERSAL])
                .aggregate(s=Sum("amount"))["s"]
                or 0
            )
            expired = locked.balance - recent
            if expired <= 0:
                continue
            node = GridNode.objects.get(pk=locked.community_id) if locked.community_id else locked.node
            move(
                debit=locked, credit=issuing_account(node=node, actor=actor), amount=expired,
                key=f"expiry:{year}:{locked.pk}", kind=MovementKind.EXPIRY, actor=actor, occurred_at=cutoff,
                memo=_("Points not earned in %(year)d expired.") % {"year": year}, allow_frozen=True,
            )
            count += 1
    return count


@transaction.atomic
def link_holder(*, account: Account, user, actor=None) -> Account:
    """Let a volunteer's sign-in see (and earn on) their own passbook: one sign-in per passbook, same tenant."""
    if account.kind not in PASSBOOK_KINDS:
        raise Invalid(_("Only a passbook has a holder."))
    if user is not None and user.tenant_id != account.tenant_id:
        raise Invalid(_("The sign-in belongs to another district."))
    if user is not None and Account.objects.filter(holder=user).exclude(pk=account.pk).exists():
        raise Conflict(_("This sign-in holds another passbook already."))
    Account.objects.filter(pk=account.pk).update(holder=user)
    audit.record("points.link_holder", account, after={"holder": getattr(user, "pk", None)}, actor=actor)
    account.refresh_from_db()
    return account
