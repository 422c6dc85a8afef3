"""Spending: the reward catalogue, redemptions (a kit workflow), and the two-way exchange (a household's request).

A redemption locks the reward's row (stock and the per-passbook limit are read under it), then `ledger.move` locks
the passbook (the balance), in one transaction: a reward is never oversold and a passbook never overdrawn. The
points are paid when the redemption is requested and refunded by a movement when it is cancelled.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.models import GridNode
from grids.scope import scope_for
from yaohai.core.errors import Conflict, Invalid, NotFound
from yaohai.core.workflow import Runner

from ..choices import (
    PASSBOOK_KINDS,
    AccountKind,
    MovementKind,
    RedemptionStatus,
    RedemptionStep,
    RedemptionWho,
)
from ..models import Account, Redemption, RedemptionLog, Reward, ServiceRequest, ServiceType
from ..rights import MANAGE, REDEEM
from ..workflows import REDEMPTION_WORKFLOW
from . import ledger

QR_SALT = "points.redemption.qr"
MAX_QUANTITY = 20


def _rows(actor):
    """The redemptions an actor may act on: at the desk (points.redeem) in scope, or of the actor's own passbook."""
    if actor is None:
        return Redemption.objects.all()
    return Redemption.objects.filter(scope_for(actor, REDEEM).q()) | Redemption.objects.filter(account__holder=actor)


def _may(actor, obj, rule, now) -> bool:
    if actor is None:
        return True
    desk = scope_for(actor, REDEEM).covers(obj)
    if rule.who == RedemptionWho.HOLDER_OR_COUNTER:
        return desk or obj.account.holder_id == actor.pk
    return desk


REDEMPTIONS = Runner(
    REDEMPTION_WORKFLOW, rows=_rows, may=_may, log_model=RedemptionLog, log_subject="redemption", not_found=True
)


def _whole(value, label: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label})
    try:
        as_float = float(value)
        number = int(as_float)
    except (TypeError, ValueError, OverflowError):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label}) from None
    if as_float != number:
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label})
    if number < minimum:
        raise Invalid(_("%(field)s must be at least %(min)d.") % {"field": label, "min": minimum})
    if number > 10**9:
        raise Invalid(_("%(field)s is too large.") % {"field": label})
    return number


# --- the catalogue -------------------------------------------------------------------------------------------------


@transaction.atomic
def save_reward(
    *, actor, node: GridNode, name: str, price, stock, valid_from: dt.date, valid_until: dt.date, sponsor=None,
    description: str = "", per_account_limit=0, requires_approval: bool = False, reward: Reward | None = None,
) -> Reward:
    """Offer a reward in a community (or change one): sponsored by a partner unit (a registry organisation) or not."""
    if node.kind != "community":
        raise Invalid(_("Rewards are offered by a community."))
    if actor is not None and not scope_for(actor, MANAGE).covers(node):
        raise NotFound()
    if sponsor is not None and (sponsor.tenant_id != node.tenant_id or sponsor.community_id != node.pk):
        raise NotFound()
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the reward a name."))
    if not valid_from or not valid_until or valid_until < valid_from:
        raise Invalid(_("The reward's validity must end on or after it begins."))
    reward = Reward.objects.select_for_update().get(pk=reward.pk) if reward else Reward(node=node)
    reward.stamp_from(node)
    reward.name, reward.description, reward.sponsor = name[:100], (description or "")[:300], sponsor
    reward.price = _whole(price, _("Price"), minimum=1)
    reward.stock = _whole(stock, _("Stock"))
    reward.per_account_limit = _whole(per_account_limit, _("Limit per passbook"))
    reward.valid_from, reward.valid_until, reward.requires_approval = valid_from, valid_until, bool(requires_approval)
    reward.account = (
        ledger.partner_account(organisation=sponsor, actor=actor) if sponsor else ledger.reward_pool(node=node, actor=actor)
    )
    reward.save()
    audit.record("points.save_reward", reward, after={"name": reward.name, "price": reward.price,
                                                      "stock": reward.stock}, actor=actor)
    return reward


def within_reach(account: Account, *, on_date: dt.date | None = None):
    """Rewards the passbook can afford today in its community: offered, valid, in stock, priced within the balance."""
    on_date = on_date or timezone.localdate()
    return Reward.objects.filter(
        community_id=account.community_id, is_active=True, valid_from__lte=on_date, valid_until__gte=on_date,
        stock__gt=0, price__lte=account.balance,
    ).order_by("-price", "name")


# --- redemptions ---------------------------------------------------------------------------------------------------


def _check_holder_or_desk(actor, account: Account) -> None:
    if actor is None or account.holder_id == actor.pk or scope_for(actor, REDEEM).covers(account):
        return
    raise NotFound()


@transaction.atomic
def redeem(*, actor, account: Account, reward: Reward, key: str, quantity=1, now: dt.datetime | None = None):
    """Ask for a reward: checks validity, stock and the per-passbook limit under the reward's row lock, and pays the
    points from the passbook in the same transaction. A retried key returns the first redemption."""
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise Invalid(_("A redemption needs a request key of at most 100 characters."))
    _check_holder_or_desk(actor, account)
    if account.kind not in PASSBOOK_KINDS:
        raise Invalid(_("Only a passbook redeems rewards."))
    earlier = Redemption.objects.filter(tenant_id=account.tenant_id, key=key).first()
    if earlier is not None:
        return _same(earlier, account=account, reward=reward)
    quantity = _whole(quantity, _("Quantity"), minimum=1)
    if quantity > MAX_QUANTITY:
        raise Invalid(_("At most %(max)d at a time.") % {"max": MAX_QUANTITY})
    try:
        locked = Reward.objects.select_for_update().get(pk=reward.pk, tenant_id=account.tenant_id)
    except Reward.DoesNotExist:
        raise NotFound() from None
    if locked.community_id != account.community_id:
        raise NotFound()
    earlier = Redemption.objects.filter(tenant_id=account.tenant_id, key=key).first()  # paid while we waited
    if earlier is not None:
        return _same(earlier, account=account, reward=locked)
    today = timezone.localdate(now) if now else timezone.localdate()
    if not locked.is_active or not locked.valid_from <= today <= locked.valid_until:
        raise Conflict(_("“%(reward)s” is not offered today.") % {"reward": locked.name})
    if locked.stock < quantity:
        raise Conflict(_("Only %(stock)d of “%(reward)s” left.") % {"stock": locked.stock, "reward": locked.name})
    if locked.per_account_limit:
        taken = (
            Redemption.objects.filter(reward=locked, account=account)
            .exclude(status=RedemptionStatus.CANCELLED)
            .aggregate(s=Sum("quantity"))["s"]
            or 0
        )
        if taken + quantity > locked.per_account_limit:
            raise Conflict(
                _("A passbook may redeem “%(reward)s” %(limit)d times; it has %(taken)d already.")
                % {"reward": locked.name, "limit": locked.per_account_limit, "taken": taken}
            )
    points = locked.price * quantity
    payment = ledger.move(
        debit=account, credit=Account.objects.get(pk=locked.account_id), amount=points, key=f"redeem:{key}",
        kind=MovementKind.SPEND, actor=actor, memo=locked.name, source_type="points.reward",
        source_id=str(locked.pk), occurred_at=now,
    )
    Reward.objects.filter(pk=locked.pk).update(stock=locked.stock - quantity)
    redemption = Redemption(
        key=key, reward=locked, account=account, quantity=quantity, points=points, payment=payment,
        needs_approval=locked.requires_approval, ready=not locked.requires_approval,
        requested_by=actor if getattr(actor, "pk", None) else None, node_id=locked.node_id,
    )
    redemption.stamp_from(locked)
    try:
        with transaction.atomic():
            redemption.save()
    except IntegrityError:  # pragma: no cover - the key is unique and was checked under the lock
        raise Conflict(_("This request was already carried out.")) from None
    RedemptionLog.objects.create(redemption=redemption, actor=redemption.requested_by, action="redeem",
                                 to_status=redemption.status)
    audit.record("points.redeem", redemption, after={"reward": locked.pk, "quantity": quantity, "points": points},
                 actor=actor)
    redemption.replayed = False
    return redemption


def _same(earlier: Redemption, *, account: Account, reward: Reward) -> Redemption:
    if (earlier.account_id, earlier.reward_id) != (account.pk, reward.pk):
        raise Conflict(_("This request was already carried out with different contents."))
    earlier.replayed = True
    return earlier


@transaction.atomic
def approve(*, actor, redemption, note: str = "") -> Redemption:
    """The desk approves a redemption of a reward that needs it; it is handed over next."""
    step = REDEMPTIONS.begin(actor=actor, obj=redemption, step=RedemptionStep.APPROVE)
    step.obj.ready = True
    step.finish(RedemptionStatus.APPROVED, note=note)
    audit.record("points.approve_redemption", step.obj, after={"status": step.obj.status}, actor=actor)
    return step.obj


@transaction.atomic
def fulfil(*, actor, redemption, note: str = "") -> Redemption:
    """The partner's counter hands the reward over (after scanning the passbook's QR code)."""
    step = REDEMPTIONS.begin(actor=actor, obj=redemption, step=RedemptionStep.FULFIL)
    step.obj.fulfilled_by = actor if getattr(actor, "pk", None) else None
    step.obj.fulfilled_at = step.now
    step.finish(RedemptionStatus.FULFILLED, note=note)
    audit.record("points.fulfil_redemption", step.obj, after={"status": step.obj.status}, actor=actor)
    return step.obj


@transaction.atomic
def cancel(*, actor, redemption, reason: str) -> Redemption:
    """Cancel before hand-over: the points come back by a refund movement and the stock is put back."""
    reason = (reason or "").strip()
    step = REDEMPTIONS.begin(actor=actor, obj=redemption, step=RedemptionStep.CANCEL)
    if not reason:
        raise Invalid(_("Say why the redemption is cancelled."))
    obj = step.obj
    reward = Reward.objects.select_for_update().get(pk=obj.reward_id)
    payment = obj.payment
    obj.refund = ledger.move(
        debit=Account.objects.get(pk=payment.credit_id), credit=Account.objects.get(pk=payment.debit_id),
        amount=payment.amount, key=f"refund:{obj.pk}", kind=MovementKind.REFUND, actor=actor, memo=reason[:200],
        reverses=payment, source_type="points.redemption", source_id=str(obj.pk), allow_frozen=True,
    )
    Reward.objects.filter(pk=reward.pk).update(stock=reward.stock + obj.quantity)
    obj.cancel_reason = reason[:200]
    step.finish(RedemptionStatus.CANCELLED, note=reason[:300])
    audit.record("points.cancel_redemption", obj, after={"reason": reason, "refund": obj.refund_id}, actor=actor)
    return obj


def qr_token(redemption: Redemption) -> str:
    """The signed token the passbook's QR code carries: it names the redemption and cannot be forged."""
    return signing.dumps({"r": redemption.pk, "t": redemption.tenant_id}, salt=QR_SALT, compress=True)


def redemption_from_token(token: str, *, max_age_days: int = 400) -> Redemption:
    """The redemption a scanned QR code names; a forged, altered or expired token is simply not found."""
    try:
        data = signing.loads(token, salt=QR_SALT, max_age=dt.timedelta(days=max_age_days))
        return Redemption.objects.select_related("reward", "account").get(pk=int(data["r"]), tenant_id=int(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Redemption.DoesNotExist):
        raise NotFound() from None


# --- the two-way exchange ------------------------------------------------------------------------------------------


@transaction.atomic
def request_service(
    *, actor, account: Account, service_type: ServiceType, description: str, points, key: str
) -> ServiceRequest:
    """服务与积分双向兑换: a household pays points into its community's pool to ask the volunteers for a service;
    the volunteer who does it earns through a service record that names the request."""
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise Invalid(_("A request needs a request key of at most 100 characters."))
    if account.kind != AccountKind.HOUSEHOLD:
        raise Invalid(_("A household's passbook asks for a service."))
    _check_holder_or_desk(actor, account)
    if service_type.tenant_id != account.tenant_id:
        raise NotFound()
    description = (description or "").strip()
    if not description:
        raise Invalid(_("Say what is needed."))
    points = _whole(points, _("Points"), minimum=1)
    community = GridNode.objects.get(pk=account.community_id)
    payment = ledger.move(
        debit=account, credit=ledger.reward_pool(node=community, actor=actor), amount=points,
        key=f"request:{key}", kind=MovementKind.SPEND, actor=actor, memo=description[:200],
        source_type="points.request",
    )
    earlier = ServiceRequest.objects.filter(payment=payment).first()
    if earlier is not None:  # a retried key: the first request, paid once
        earlier.replayed = True
        return earlier
    request = ServiceRequest(
        household_id=account.household_id, account=account, service_type=service_type,
        description=description[:300], points=points, payment=payment, node_id=account.node_id,
    )
    request.stamp_from(account)
    request.save()
    audit.record("points.request_service", request, after={"points": points}, actor=actor)
    request.replayed = False
    return request
