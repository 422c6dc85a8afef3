"""The dashboards' pre-aggregated counts (EventRollup): what one event counts for, kept exact on every save.

An event counts once in the rows of its street, its community and its grid, for its main category and its
reporting day (Asia/Shanghai): one in the column of its current status, and one in each conditional count of
events.kpis it meets now (closed on time, went through handling, reworked, dispatched, extended), plus its
handling time once closed. `counted` reads that from the event's own columns (its `state`); `apply` moves an event from its
old counts to its new ones with one INSERT … ON CONFLICT DO UPDATE statement (PostgreSQL and SQLite ≥ 3.24),
inside the transaction of the save. `recount` computes the same rows from the events with one GROUP BY per
level; `rebuild` replaces the stored rows with it (after bulk writes), `recount_nodes` does the same for some
nodes only (after a move in the tree), and `drift` lists any difference.

The Python `counted` and the SQL `recount` are two spellings of one definition; tests/dashboards prove they
agree after every workflow step, and both follow the Q expressions of events.kpis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connections, models, router, transaction
from django.db.models import DurationField, ExpressionWrapper, F, Func, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth

from dashboards import cache as dashboard_cache

from .choices import Status

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEVELS = ("street", "community", "grid")
SPANS = ("day", "month")
PARENT_LEVEL = {"street": "district", "community": "street", "grid": "community"}
STAMPS = ("district", "street", "community", "grid")

STATUS_COLUMNS = tuple(f"s_{status}" for status in Status.values)
COUNT_COLUMNS = ("closed_on_time", "went_through_handling", "reworked", "dispatched", "extended")
COLUMNS = (*STATUS_COLUMNS, *COUNT_COLUMNS, "handling_us")

HANDLED = frozenset({Status.HANDLED, Status.REWORK, Status.CLOSED})
DISPATCHED = frozenset({Status.DISPATCHED, Status.IN_PROGRESS, *HANDLED})

# The event columns `counted` reads; an event loaded without one of them is read again before it is saved.
READS = (
    "tenant_id", "district_id", "street_id", "community_id", "grid_id", "main_category_id", "created_at",
    "status", "handled_on_spot", "escalation_level", "verify_due", "closed_at", "rework_count", "extension_count",
)
ONE_MICROSECOND = dt.timedelta(microseconds=1)


class Key(NamedTuple):
    tenant_id: int
    district_id: int
    street_id: int
    community_id: int
    grid_id: int
    main_category_id: int
    day: dt.date


class Counted(NamedTuple):
    """What one event counts for: its key and one value per column of COLUMNS."""

    key: Key
    values: tuple[int, ...]


class State(NamedTuple):
    """The columns of an event that decide what it counts for (READS), as loaded or as saved."""

    tenant_id: int
    district_id: int
    street_id: int
    community_id: int
    grid_id: int
    main_category_id: int
    created_at: dt.datetime
    status: str
    handled_on_spot: bool
    escalation_level: int
    verify_due: dt.datetime | None
    closed_at: dt.datetime | None
    rework_count: int
    extension_count: int


def state(event) -> State | None:
    """The event's READS columns (cheap: kept on every loaded event); None if it was loaded without some."""
    values = event.__dict__
    try:
        return State(*(values[name] for name in READS))
    except KeyError:
        return None


def stamps(*states: State | None) -> set[int]:
    """The nodes (district, street, community, grid) events in these states hang from."""
    return {
        pk for s in states if s is not None for pk in (s.district_id, s.street_id, s.community_id, s.grid_id) if pk
    }


def counted(event: State | None) -> Counted | None:
    """What an event in this state counts for: its rows' key and one value per column of COLUMNS."""
    if event is None or event.created_at is None or event.grid_id is None:
        return None
    status = event.status
    on_spot = event.handled_on_spot
    closed = status == Status.CLOSED
    went_through_handling = status in HANDLED and not on_spot
    dispatched = status in DISPATCHED and not on_spot
    on_time = (
        closed
        and event.escalation_level == 0
        and (event.verify_due is None or (event.closed_at is not None and event.closed_at <= event.verify_due))
    )
    handling = (event.closed_at - event.created_at) // ONE_MICROSECOND if closed and event.closed_at else 0
    values = (
        *(int(status == value) for value in Status.values),
        int(on_time),
        int(went_through_handling),
        int(went_through_handling and event.rework_count > 0),
        int(dispatched),
        int(dispatched and event.extension_count > 0),
        handling,
    )
    day = event.created_at.astimezone(SHANGHAI).date()
    key = Key(
        event.tenant_id, event.district_id, event.street_id, event.community_id, event.grid_id,
        event.main_category_id, day,
    )
    return Counted(key, values)


def _rows(counted: Counted, sign: int) -> list[tuple]:
    """The six rows an event's counts go to (street, community and grid; its day and its month), each as the
    INSERT's values."""
    key = counted.key
    stamps = {"district": key.district_id, "street": key.street_id, "community": key.community_id,
              "grid": key.grid_id}
    values = tuple(sign * v for v in counted.values)
    rows = []
    for level in LEVELS:
        below = STAMPS.index(level) + 1
        row_stamps = [stamps[s] if i < below else None for i, s in enumerate(STAMPS)]
        for span, day in (("day", key.day), ("month", key.day.replace(day=1))):
            rows.append((
                key.tenant_id, level, span, stamps[level], stamps[PARENT_LEVEL[level]], *row_stamps,
                key.main_category_id, day, *values,
            ))
    return rows


def apply(before: Counted | None, after: Counted | None, *, using: str | None = None) -> None:
    """Move one event's counts from `before` to `after` (None: it did not or no longer exists). One statement."""
    if before == after:
        return
    if before is not None and after is not None and before.key == after.key:
        delta = tuple(a - b for a, b in zip(after.values, before.values, strict=True))
        rows = _rows(Counted(after.key, delta), 1)
    else:
        rows = (_rows(before, -1) if before else []) + (_rows(after, 1) if after else [])
    # Always in one order (node, category, span, day), so two transactions never wait on each other crosswise.
    rows.sort(key=lambda row: (row[3], row[9], row[2], row[10]))
    _upsert(rows, using or router.db_for_write(_model()))


def add_many(states: Iterable[State], *, using: str | None = None, batch: int = 500) -> int:
    """Add what each of these new events counts for (none of them counted yet): their rows summed per (node,
    category, span, day) in Python, then one upsert per `batch` rows, in one order. For bulk inserts (the
    write seam's insert_history); returns the number of rows written."""
    totals: dict[tuple, list] = {}
    for event in states:
        counted_now = counted(event)
        if counted_now is None:
            continue
        for row in _rows(counted_now, 1):
            key = row[: len(row) - len(COLUMNS)]
            total = totals.get(key)
            if total is None:
                totals[key] = list(row[len(key):])
            else:
                for i, value in enumerate(row[len(key):]):
                    total[i] += value
    rows = sorted((key + tuple(values) for key, values in totals.items()), key=lambda r: (r[3], r[9], r[2], r[10]))
    using = using or router.db_for_write(_model())
    for start in range(0, len(rows), batch):
        _upsert(rows[start : start + batch], using)
    return len(rows)


def _model():
    return apps.get_model("events", "EventRollup")


def _upsert(rows: list[tuple], using: str) -> None:
    model = _model()
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = COLUMNS_IN_ORDER
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in COLUMNS)
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([placeholder] * len(rows))} "
        f"ON CONFLICT ({qn('tenant_id')}, {qn('node_id')}, {qn('main_category_id')}, {qn('span')}, {qn('day')}) DO UPDATE SET {updates}"
    )
    params = [connection.ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v
              for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# ---------------------------------------------------------------------------------------------------------
# Recounting from the events, set-based
# ---------------------------------------------------------------------------------------------------------


class Microseconds(Func):
    """A duration as whole microseconds (bigint): what Python's `timedelta // timedelta(microseconds=1)` gives."""

    output_field = models.BigIntegerField()

    def __init__(self, expression, **extra):
        super().__init__(ExpressionWrapper(expression, output_field=DurationField()), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000000)::bigint",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django's SQLite subtraction of datetimes already answers in integer microseconds.
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra_context)


def count_expressions() -> dict:
    """The SQL spelling of `counted`'s values, as aggregates over events (one per column of COLUMNS)."""
    from .kpis import CountWhere, dispatched_q, extended_q, on_time_q, reworked_q, went_through_handling_q

    expressions = {f"s_{value}": CountWhere(Q(status=value)) for value in Status.values}
    expressions.update(
        closed_on_time=CountWhere(on_time_q()),
        went_through_handling=CountWhere(went_through_handling_q()),
        reworked=CountWhere(went_through_handling_q() & reworked_q()),
        dispatched=CountWhere(dispatched_q()),
        extended=CountWhere(dispatched_q() & extended_q()),
        handling_us=Coalesce(
            Sum(Microseconds(F("closed_at") - F("created_at")), filter=Q(status=Status.CLOSED, closed_at__isnull=False)),
            Value(0),
            output_field=models.BigIntegerField(),
        ),
    )
    return expressions


def recount(level: str, events, span: str = "day"):
    """The rows of one level and span, recounted from `events` (a queryset): a values() queryset, one GROUP BY."""
    none = Cast(Value(None), output_field=models.BigIntegerField())  # a typed NULL: PostgreSQL would guess text
    below = STAMPS.index(level) + 1
    if span == "day":
        day = TruncDate("created_at", tzinfo=SHANGHAI)
    else:
        day = TruncMonth("created_at", tzinfo=SHANGHAI, output_field=models.DateField())
    keys = {
        "r_tenant": F("tenant_id"),
        "r_level": Value(level),
        "r_span": Value(span),
        "r_node": F(f"{level}_id"),
        "r_parent": F(f"{PARENT_LEVEL[level]}_id"),
        **{f"r_{s}": (F(f"{s}_id") if i < below else none) for i, s in enumerate(STAMPS)},
        "r_category": F("main_category_id"),
        "r_day": day,
    }
    return (
        events.order_by()
        .annotate(**keys)
        .values(*keys)
        .annotate(**count_expressions())
    )


def _events(tenant_id: int | None, event_model=None):
    events = (event_model or apps.get_model("events", "Event"))._base_manager.all()
    return events.filter(tenant_id=tenant_id) if tenant_id is not None else events


COLUMNS_IN_ORDER = (
    "tenant_id", "level", "span", "node_id", "parent_id", *(f"{s}_id" for s in STAMPS), "main_category_id", "day",
    *COLUMNS,
)
ALIASES_IN_ORDER = (
    "r_tenant", "r_level", "r_span", "r_node", "r_parent", *(f"r_{s}" for s in STAMPS), "r_category", "r_day",
    *COLUMNS,
)


def rebuild(tenant_id: int | None = None, *, using: str = "default", event_model=None, rollup_model=None) -> int:
    """Replace the stored rows (of one tenant, or all) with a recount, in one transaction: one INSERT … SELECT
    per level, no row passes through Python. (The models can be a migration's historical ones.)"""
    model = rollup_model or _model()
    connection = connections[using]
    inserted = 0
    with transaction.atomic(using=using):
        rows = model._base_manager.using(using)
        (rows.filter(tenant_id=tenant_id) if tenant_id is not None else rows).delete()
        for level in LEVELS:
            events = _events(tenant_id, event_model).using(using)
            inserted += _insert_select(connection, model, recount(level, events, "day"))
        # The month rows are the sums of the day rows (cheaper than reading the events again).
        days = model._base_manager.using(using).filter(span="day")
        if tenant_id is not None:
            days = days.filter(tenant_id=tenant_id)
        inserted += _insert_select(connection, model, _months_of(days))
    dashboard_cache.tenant_changed(tenant_id)
    return inserted


def recount_nodes(tenant_id: int, node_ids, *, using: str = "default") -> int:
    """Replace the rows of these nodes (any level) with a recount of the events now stamped with them: after a
    bulk re-stamp of part of the tree, cheaper than `rebuild` of the whole tenant."""
    model = _model()
    kinds = dict(
        apps.get_model("grids", "GridNode")._base_manager.using(using)
        .filter(tenant_id=tenant_id, pk__in=list(node_ids)).values_list("pk", "kind")
    )
    connection = connections[using]
    inserted = 0
    with transaction.atomic(using=using):
        model._base_manager.using(using).filter(tenant_id=tenant_id, node_id__in=list(kinds)).delete()
        for level in LEVELS:
            ids = [pk for pk, kind in kinds.items() if kind == level]
            if ids:
                events = _events(tenant_id).using(using).filter(**{f"{level}_id__in": ids})
                inserted += _insert_select(connection, model, recount(level, events, "day"))
        days = model._base_manager.using(using).filter(tenant_id=tenant_id, span="day", node_id__in=list(kinds))
        inserted += _insert_select(connection, model, _months_of(days))
    dashboard_cache.tenant_changed(tenant_id)
    return inserted


def _insert_select(connection, model, rows) -> int:
    """INSERT INTO the rollups SELECT `rows` (a values() queryset whose aliases are ALIASES_IN_ORDER)."""
    qn = connection.ops.quote_name
    sql, params = rows.query.sql_with_params()
    statement = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS_IN_ORDER)}) "
        f"SELECT {', '.join('src.' + qn(a) for a in ALIASES_IN_ORDER)} FROM ({sql}) src"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _months_of(day_rows):
    """Day rows summed into month rows (a values() queryset shaped like `recount`'s)."""
    keys = {
        "r_tenant": F("tenant_id"),
        "r_level": F("level"),
        "r_span": Value("month"),
        "r_node": F("node_id"),
        "r_parent": F("parent_id"),
        **{f"r_{s}": F(f"{s}_id") for s in STAMPS},
        "r_category": F("main_category_id"),
        "r_day": TruncMonth("day", output_field=models.DateField()),
    }
    return day_rows.order_by().annotate(**keys).values(*keys).annotate(**{c: Sum(c) for c in COLUMNS})


def drift(tenant_id: int | None = None, *, using: str = "default") -> list[tuple]:
    """Every (node, main category, span, day) whose stored counts differ from a recount of the events:
    (key, stored, recounted). The month rows are recounted from the events too, not from the day rows."""
    stored_rows = _model()._base_manager.using(using)
    if tenant_id is not None:
        stored_rows = stored_rows.filter(tenant_id=tenant_id)
    stored = {
        (row["node_id"], row["main_category_id"], row["span"], row["day"]): tuple(row[c] for c in COLUMNS)
        for row in stored_rows.values("node_id", "main_category_id", "span", "day", *COLUMNS)
    }
    recounted = {}
    for level in LEVELS:
        for span in SPANS:
            for row in recount(level, _events(tenant_id).using(using), span):
                day = row["r_day"]
                if isinstance(day, dt.datetime):
                    day = day.date()
                recounted[(row["r_node"], row["r_category"], span, day)] = tuple(row[c] for c in COLUMNS)
    zero = (0,) * len(COLUMNS)
    out = []
    for key in sorted(set(stored) | set(recounted), key=str):
        have, want = stored.get(key, zero), recounted.get(key, zero)
        if have != want:
            out.append((key, have, want))
    return out


def sum_expressions() -> dict:
    """Sum every counter column (for a dashboard panel over rollup rows; a sum over no row is None)."""
    return {column: Sum(column) for column in COLUMNS}


def kpi_row(sums: dict) -> dict:
    """A row of events.kpis counts from summed rollup columns (overdue and paused are added by the caller)."""
    sums = {c: sums[c] or 0 for c in COLUMNS}
    events = sum(sums[c] for c in STATUS_COLUMNS)
    open_count = sum(sums[f"s_{status}"] for status in _open_statuses())
    closed = sums["s_closed"]
    return {
        "events": events,
        "rejected": sums["s_rejected"],
        "open": open_count,
        "closed": closed,
        "closed_on_time": sums["closed_on_time"],
        "went_through_handling": sums["went_through_handling"],
        "reworked": sums["reworked"],
        "dispatched": sums["dispatched"],
        "extended": sums["extended"],
        "avg_handling": dt.timedelta(microseconds=sums["handling_us"] / closed) if closed else None,
    }


def _open_statuses() -> Iterable[str]:
    from .choices import OPEN_STATUSES

    return OPEN_STATUSES
