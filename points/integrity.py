"""The ledger's proofs: every balance equals the sum of its entries, every movement's two entries sum to zero.

`check_ledger` (the command) and the nightly sweep (tasks.sweep_ledger) run `differences()`; the backup's restore
drill checks `totals()` (registered with yaohai.core.backup in apps.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce

from .models import Account, Entry, Movement


@dataclass(frozen=True)
class Difference:
    """One thing the ledger gets wrong: which row, and what was expected against what is stored."""

    what: str
    pk: int
    expected: int
    found: int

    def __str__(self):
        return f"{self.what} {self.pk}: expected {self.expected}, found {self.found}"


def differences(*, tenant_id: int | None = None, using: str = "default") -> list[Difference]:
    """Accounts whose balance is not the sum of their entries; movements not balanced by exactly two entries."""
    accounts = Account.objects.using(using)
    movements = Movement.objects.using(using)
    if tenant_id is not None:
        accounts = accounts.filter(tenant_id=tenant_id)
        movements = movements.filter(tenant_id=tenant_id)
    found = [
        Difference("account", row["pk"], row["summed"], row["balance"])
        for row in accounts.annotate(summed=Coalesce(Sum("entries__amount"), Value(0)))
        .exclude(balance=F("summed"))
        .values("pk", "summed", "balance")
    ]
    found += [
        Difference("movement", row["pk"], 0, row["net"] if row["sides"] == 2 else row["sides"])
        for row in movements.annotate(net=Coalesce(Sum("entries__amount"), Value(0)), sides=Count("entries"))
        .exclude(net=0, sides=2)
        .values("pk", "net", "sides")
    ]
    return found


def totals(using: str = "default") -> dict:
    """What a faithful restore reproduces: counts, the points moved, and a digest of every account's balance."""
    digest = hashlib.sha256()
    for pk, balance in Account.objects.using(using).order_by("pk").values_list("pk", "balance").iterator():
        digest.update(f"{pk}:{balance};".encode())
    moved = Movement.objects.using(using).aggregate(s=Coalesce(Sum("amount"), Value(0)))["s"]
    return {
        "accounts": Account.objects.using(using).count(),
        "movements": Movement.objects.using(using).count(),
        "entries": Entry.objects.using(using).count(),
        "moved": int(moved),
        "balances": digest.hexdigest(),
    }
