"""Writes of the residents app: one-time codes, sign-in, the community a resident claims, confirmation, blocking."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.choices import NodeKind
from grids.models import GridNode, Tenant, User
from registry.models import Household
from yaohai.core.errors import Conflict, Invalid, NotFound
from yaohai.core.personal import crypto
from yaohai.core.personal.identity import mask_phone, normalise_phone

from . import senders, throttles
from .choices import CODE_LENGTH, CODE_MAX_ATTEMPTS, CODE_TTL_SECONDS, PHONE_PURPOSE, AccountStatus
from .models import OneTimeCode, ResidentAccount
from .rights import CONFIRM

MOBILE_LENGTH = 11


def _limits() -> dict:
    return {
        "code_number": (3, 600), "code_address": (20, 3600), "report_account": (10, 86400),
        "report_address": (30, 86400), **getattr(settings, "RESIDENT_RATE_LIMITS", {}),
    }


def mobile(value: str) -> str:
    """A mainland mobile number, normalised (digits, no +86); Invalid otherwise."""
    phone = normalise_phone(str(value or "")[:40])
    if len(phone) != MOBILE_LENGTH or not phone.startswith("1"):
        raise Invalid(_("Enter a mobile number of 11 digits."))
    return phone


def _code_hash(tenant_id: int, phone_index: str, code: str) -> str:
    message = f"{tenant_id}:{phone_index}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def request_code(*, tenant: Tenant, phone: str, address: str = "", now: dt.datetime | None = None) -> None:
    """Send a sign-in code to any well-formed number, known or not (the answer never tells which): rate-limited
    per number and per address; an earlier unused code of the number stops working."""
    now = now or timezone.now()
    phone = mobile(phone)
    limits = _limits()
    if not throttles.hit("code_address", address, limit=limits["code_address"][0], seconds=limits["code_address"][1]):
        raise Invalid(_("Too many codes were asked for from here. Please try again later."))
    index = crypto.blind_index(phone, PHONE_PURPOSE)
    if not throttles.hit(
        "code_number", f"{tenant.pk}:{index}", limit=limits["code_number"][0], seconds=limits["code_number"][1]
    ):
        raise Invalid(_("Too many codes were sent to this number. Please try again later."))
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(tenant=tenant, phone_index=index, used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            tenant=tenant, phone_index=index, code_hash=_code_hash(tenant.pk, index, code), created_at=now,
            expires_at=now + dt.timedelta(seconds=CODE_TTL_SECONDS),
        )
        # Sent inside the transaction: a gateway that refuses (SendFailed) leaves no code behind.
        senders.sender().send(phone, code, tenant=tenant)


def sign_in(*, tenant: Tenant, phone: str, code: str, now: dt.datetime | None = None) -> ResidentAccount:
    """The account of the number whose latest code this is, created on its first sign-in. A wrong code counts
    an attempt (kept even though the answer is a refusal); an expired, used or over-tried code is refused alike."""
    now = now or timezone.now()
    phone = mobile(phone)
    index = crypto.blind_index(phone, PHONE_PURPOSE)
    refused = Invalid(_("The code is wrong or has expired. Ask for a new one."))
    row = (
        OneTimeCode.objects.filter(tenant=tenant, phone_index=index, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id").first()
    )
    if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
        raise refused
    given = "".join(ch for ch in str(code or "")[:20] if ch.isdigit())
    if not hmac.compare_digest(row.code_hash, _code_hash(tenant.pk, index, given)):
        OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise refused
    with transaction.atomic():
        used = OneTimeCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not used:  # a twin request used it first
            raise refused
        account = ResidentAccount.objects.select_related("user").filter(tenant=tenant, phone_index=index).first()
        if account is None:
            account = _create_account(tenant, phone, index)
    if account.is_blocked:
        raise Invalid(_("This account has been blocked by the district. Please call your community."))
    return account


def _create_account(tenant: Tenant, phone: str, index: str) -> ResidentAccount:
    user = User(username=f"resident-{uuid.uuid4().hex[:16]}", tenant=tenant, display_name=mask_phone(phone))
    user.set_unusable_password()  # a resident signs in with codes only, never through the staff sign-in
    user.save()
    root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
    account = ResidentAccount(user=user, phone_index=index, phone_masked=mask_phone(phone))
    account.phone_encrypted = crypto.encrypt(phone, PHONE_PURPOSE)
    account.stamp_from(root)
    account.node = root
    account.save()
    audit.record("residents.sign_up", account, after={"phone": account.phone_masked})
    return account


def communities(tenant: Tenant):
    """The live communities of a district, for a resident to say where she lives."""
    return GridNode.objects.filter(tenant=tenant, kind=NodeKind.COMMUNITY, is_archived=False).order_by("tree_id", "lft")


@transaction.atomic
def choose_community(*, account: ResidentAccount, community_id) -> ResidentAccount:
    """Say which community she lives in: her account then waits in that community's confirmation queue."""
    account = ResidentAccount.objects.select_for_update().get(pk=account.pk)
    if account.is_confirmed:
        raise Conflict(_("Your community has already confirmed your account."))
    try:
        community = communities(account.tenant).get(pk=int(community_id))
    except (GridNode.DoesNotExist, TypeError, ValueError):
        raise Invalid(_("Choose a community of your district.")) from None
    before = {"community": account.community_id}
    account.stamp_from(community)
    account.node = community
    account.has_community = True
    account.save()
    audit.record("residents.choose_community", account, before=before, after={"community": community.pk})
    return account


def _account_for(actor: User, pk) -> ResidentAccount:
    try:
        return ResidentAccount.objects.select_for_update(of=("self",)).visible_to(actor, CONFIRM).get(
            pk=int(pk), has_community=True
        )
    except (ResidentAccount.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such resident account.")) from None


@transaction.atomic
def confirm_account(*, actor: User, account_id, household_id=None, now: dt.datetime | None = None) -> ResidentAccount:
    """An officer of her community confirms a resident, linking her to a household of the registry when known."""
    account = _account_for(actor, account_id)
    if account.is_blocked:
        raise Conflict(_("A blocked account must be unblocked first."))
    household = None
    if household_id not in (None, ""):
        try:
            household = Household.objects.visible_to(actor).get(
                pk=int(household_id), community_id=account.community_id
            )
        except (Household.DoesNotExist, TypeError, ValueError):
            raise Invalid(_("Choose a household of her community.")) from None
    before = {"status": account.status, "household": account.household_id}
    account.status = AccountStatus.CONFIRMED
    account.household = household
    account.confirmed_at = now or timezone.now()
    account.confirmed_by = actor
    account.save()
    audit.record("residents.confirm", account, before=before, after={"status": account.status,
                                                                      "household": account.household_id})
    return account


@transaction.atomic
def block_account(*, actor: User, account_id, reason: str) -> ResidentAccount:
    """The district stops an abusive account: it can no longer sign in nor report."""
    account = _account_for(actor, account_id)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the account is blocked."))
    before = {"status": account.status}
    account.status = AccountStatus.BLOCKED
    account.blocked_reason = reason[:200]
    account.save()
    audit.record("residents.block", account, before=before, after={"status": account.status, "reason": reason[:200]})
    return account


@transaction.atomic
def unblock_account(*, actor: User, account_id) -> ResidentAccount:
    """Lift a block: the account waits for confirmation again."""
    account = _account_for(actor, account_id)
    if not account.is_blocked:
        raise Conflict(_("This account is not blocked."))
    account.status = AccountStatus.UNCONFIRMED
    account.blocked_reason = ""
    account.save()
    audit.record("residents.unblock", account, before={"status": AccountStatus.BLOCKED},
                 after={"status": account.status})
    return account
