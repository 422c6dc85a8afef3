"""Writing, sealing, checking and pruning the audit trail.

`record()` adds a row inside the caller's transaction (a rolled-back write leaves no row) and seals the tenant's
chain once that transaction commits; the periodic sweep seals whatever is left (a crash between commit and seal)
and prunes rows past the retention. `verify()` recomputes a chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import context
from .models import Anchor, Entry, Kind

LOCK_NAMESPACE = 0x59480002  # "YH" + 2: the audit chains' advisory locks
_CONTENT = ("chain", "seq", "at", "tenant_id", "actor_id", "actor_name", "address", "kind", "action",
            "object_type", "object_id", "object_repr", "summary")


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def digest(value) -> str:
    """A short fingerprint of a large value (a boundary, a file) for a summary: whether it changed, not what."""
    if value in (None, "", {}, []):
        return ""
    text = json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_NEVER_IN_SUMMARY = ("_encrypted", "_index")  # ciphertexts and blind indexes never enter the trail
_NOT_FACTS = {"created_at", "updated_at", "district_id", "street_id", "community_id", "grid_id", "tenant_id"}


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """A row's own facts for a before/after summary: its concrete fields by attname, without time stamps, scope
    stamps, ciphertexts or blind indexes (masked values stay masked); a large JSON value as a digest."""
    facts = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if field.primary_key or name in _NOT_FACTS or name in exclude or name.endswith(_NEVER_IN_SUMMARY):
            continue
        value = getattr(obj, name)
        if isinstance(field, models.JSONField | models.BinaryField) or (isinstance(value, str) and len(value) > 500):
            value = digest(value)
        facts[name] = value
    return facts


def changes(before: dict | None, after: dict | None) -> dict:
    """The summary of a write: the fields that differ, each as [before, after] (plain JSON values)."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {
        k: json.loads(json.dumps([before.get(k), after.get(k)], default=_plain, ensure_ascii=False))
        for k in keys
        if before.get(k) != after.get(k)
    }


def record(action: str, obj: models.Model | None = None, **fields) -> Entry:
    """Add one row to the trail: `action` is a dotted name ("events.accept", "registry.reveal"); the other
    arguments are `build`'s (kind, before, after, summary, tenant_id, actor, address, now, target)."""
    entry = build(action, obj, **fields)
    entry.save()
    transaction.on_commit(partial(seal, entry.chain))
    return entry


def record_many(entries: list[Entry]) -> list[Entry]:
    """Add rows made by `build` in one statement, in their order (a bulk write: a sheet's import), and seal each
    chain once the transaction commits — the same rows `record` would add one by one."""
    Entry.objects.bulk_create(entries, batch_size=1000)
    for chain in sorted({e.chain for e in entries}):
        transaction.on_commit(partial(seal, chain))
    return entries


def build(
    action: str,
    obj: models.Model | None = None,
    *,
    kind: str = Kind.WRITE,
    before: dict | None = None,
    after: dict | None = None,
    summary: dict | None = None,
    tenant_id: int | None = None,
    actor=None,
    address: str | None = None,
    now: dt.datetime | None = None,
    target: tuple[str, str, str] | None = None,
) -> Entry:
    """The row `record` adds, unsaved (for `record_many`); `target` (type, id, text) names an object that is not
    at hand (the admin's log of a deleted row)."""
    who = context.resolve(context.current())
    if actor is not None:
        who = context.Actor(
            user_id=actor.pk, name=actor.get_username(), tenant_id=getattr(actor, "tenant_id", None),
            address=address or (who.address if who else None),
        )
    body = changes(before, after) if (before is not None or after is not None) else {}
    if summary:
        body.update(json.loads(json.dumps(summary, default=_plain, ensure_ascii=False)))
    if tenant_id is None:
        tenant_id = getattr(obj, "tenant_id", None) if obj is not None else None
        if tenant_id is None and who is not None:
            tenant_id = who.tenant_id
    tenant_id = tenant_id or None  # 0 says "platform-wide" as None does
    return Entry(
        at=now or timezone.now(),
        chain=tenant_id or 0,
        tenant_id=tenant_id,
        actor_id=who.user_id if who else None,
        actor_name=(who.name if who else "")[:150],
        address=(address or (who.address if who else None)) or None,
        kind=kind,
        action=action[:100],
        object_type=obj._meta.label if obj is not None else (target[0] if target else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else (str(target[1]) if target else ""),
        object_repr=str(obj)[:200] if obj is not None else (str(target[2])[:200] if target else ""),
        summary=body,
    )


def _digest(row: dict, prev_hash: str) -> str:
    content = [row[k].isoformat() if isinstance(row[k], dt.datetime) else row[k] for k in _CONTENT]
    payload = json.dumps([prev_hash, content], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock(chain: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, chain % 2**31])


def _head(chain: int) -> tuple[int, str]:
    last = (
        Entry.objects.filter(chain=chain, seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    )
    if last:
        return last
    anchor = Anchor.objects.filter(chain=chain).values_list("seq", "prev_hash").first()
    return (anchor[0] - 1, anchor[1]) if anchor else (0, "")


@transaction.atomic
def seal(chain: int) -> int:
    """Give the chain's unsealed rows their places and hashes, in id order; returns how many were sealed."""
    _lock(chain)
    seq, prev_hash = _head(chain)
    rows = list(Entry.objects.filter(chain=chain, seq__isnull=True).order_by("id").values("id", *_CONTENT[2:], "chain"))
    if not rows:
        return 0
    updates = []
    for row in rows:
        seq += 1
        row["seq"] = seq
        digest = _digest(row, prev_hash)
        updates.append((row["id"], seq, prev_hash, digest))
        prev_hash = digest
    table = connection.ops.quote_name(Entry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND seq IS NULL",
            [(s, p, h, pk) for pk, s, p, h in updates],
        )
    return len(updates)


def seal_all() -> int:
    """Seal every chain with unsealed rows (the sweep's catch-up)."""
    chains = Entry.objects.filter(seq__isnull=True).values_list("chain", flat=True).distinct()
    return sum(seal(chain) for chain in list(chains))


@dataclass
class Verdict:
    chain: int
    rows: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(chain: int) -> Verdict:
    """Recompute a chain: every sealed row's hash over its content and its predecessor, and no gap in `seq`."""
    anchor = Anchor.objects.filter(chain=chain).first()
    expected_seq = anchor.seq if anchor else 1
    prev_hash = anchor.prev_hash if anchor else ""
    problems, count = [], 0
    rows = Entry.objects.filter(chain=chain, seq__isnull=False).order_by("seq").values("id", "hash", "prev_hash", *_CONTENT)
    for row in rows.iterator(chunk_size=2000):
        count += 1
        if row["seq"] != expected_seq:
            problems.append(f"rows {expected_seq}–{row['seq'] - 1} are missing")
            prev_hash = row["prev_hash"]  # go on from here to find alterations further on
        if row["prev_hash"] != prev_hash:
            problems.append(f"row {row['seq']} (id {row['id']}) does not follow the row before it")
        if _digest(row, row["prev_hash"]) != row["hash"]:
            problems.append(f"row {row['seq']} (id {row['id']}) was altered")
        prev_hash, expected_seq = row["hash"], row["seq"] + 1
    return Verdict(chain=chain, rows=count, problems=problems)


def verify_all() -> list[Verdict]:
    chains = set(Entry.objects.values_list("chain", flat=True).distinct()) | set(
        Anchor.objects.values_list("chain", flat=True)
    )
    return [verify(chain) for chain in sorted(chains)]


@transaction.atomic
def prune(*, now: dt.datetime | None = None) -> int:
    """Delete sealed rows older than AUDIT_RETENTION_DAYS (at least 183), moving each chain's anchor forward."""
    now = now or timezone.now()
    days = max(settings.AUDIT_RETENTION_DAYS, 183)
    cutoff = now - dt.timedelta(days=days)
    removed = 0
    table = connection.ops.quote_name(Entry._meta.db_table)
    for chain in list(Entry.objects.filter(at__lt=cutoff, seq__isnull=False).values_list("chain", flat=True).distinct()):
        _lock(chain)
        # Remove a prefix of the chain only: up to the first row (by seq) that is still within the retention.
        first_kept = (
            Entry.objects.filter(chain=chain, seq__isnull=False, at__gte=cutoff).order_by("seq").values_list("seq", "prev_hash").first()
        )
        if first_kept is None:
            seq, prev_hash = _head(chain)
            first_kept = (seq + 1, prev_hash)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE chain = %s AND seq < %s", [chain, first_kept[0]])
            deleted = cursor.rowcount
        Anchor.objects.update_or_create(
            chain=chain,
            defaults={"seq": first_kept[0], "prev_hash": first_kept[1], "pruned_at": now},
        )
        Anchor.objects.filter(chain=chain).update(pruned_rows=models.F("pruned_rows") + deleted)
        removed += deleted
    return removed
