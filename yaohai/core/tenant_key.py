"""The tenant key: which tables a distributed PostgreSQL (Citus) would split by tenant, and the DDL that gets the
schema there (docs/scale.md, ADR 0018). Read from the models (apps.get_models), so a new domain is included the day
its models are added; tests/test_tenant_key.py holds the rules and their listed exceptions.

- **distributed**: a table with a tenant column (`tenant`; the audit trail's `chain`, the tenant's id);
- **reference**: a table without one, or listed in REFERENCE — small and global, copied to every node;
- a **child**: a table without a tenant column that points at a distributed table (an event's log): it gets the
  column from its parent at conversion (`conversion_ddl`).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models

# The tenant column of tables that carry it under another name.
TENANT_COLUMN = {"audit.Entry": "chain"}

# Tables with a tenant column that are nevertheless copied to every node rather than split by it.
REFERENCE = {
    "grids.User": "accounts: platform administrators have no tenant; every table points at them (actor, reporter), "
                  "and a province's ~10^5 accounts are small enough to copy to every node",
}

# The table the distributed ones are co-located with (same tenant, same node).
COLOCATE_WITH = "grids_gridnode"


def project_models() -> list[type[models.Model]]:
    """Every model of the project's own apps (not Django's nor a library's), with auto-created M2M tables."""
    root = Path(settings.BASE_DIR).resolve()
    ours = [
        config for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents and ".venv" not in Path(config.path).parts
    ]
    return [model for config in ours for model in config.get_models(include_auto_created=True)]


def label(model) -> str:
    return model._meta.label  # a many-to-many table: "app.Owner_field"


def tenant_field(model):
    name = TENANT_COLUMN.get(label(model), "tenant")
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def is_distributed(model) -> bool:
    return tenant_field(model) is not None and label(model) not in REFERENCE


def foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def distributed_parents(model) -> list:
    """The foreign keys of `model` (other than the tenant) that point at distributed tables."""
    return [f for f in foreign_keys(model) if f.name != "tenant" and is_distributed(f.related_model)]


def is_child(model) -> bool:
    return tenant_field(model) is None and bool(distributed_parents(model))


def unique_sets(model) -> list[tuple[str, tuple[str, ...]]]:
    found = [(c.name, tuple(c.fields)) for c in model._meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields]
    found += [("_".join(fields), tuple(fields)) for fields in model._meta.unique_together]
    found += [(c.name, ("<expression>",)) for c in model._meta.constraints
              if isinstance(c, models.UniqueConstraint) and not c.fields]
    return found


def conversion_ddl(*, citus: bool = True) -> list[str]:
    """The statements that turn this database's schema into one keyed by tenant, read from the live database
    (constraint names as they are): children get tenant_id from their parent; every distributed table's primary
    key becomes (tenant, id), its unique indexes gain the tenant, its foreign keys to distributed tables become
    (tenant, x_id) → (tenant, id); then, with `citus`, reference and distributed tables are declared.
    Without `citus` it runs on plain PostgreSQL, which checks every composite key against the data."""
    q = connection.ops.quote_name
    ours = project_models()
    children = [m for m in ours if is_child(m)]
    split = [m for m in ours if is_distributed(m)] + children
    column = {m._meta.db_table: (tenant_field(m).column if tenant_field(m) else "tenant_id") for m in split}
    statements: list[str] = []
    # 1. Children: the column, filled from the parent, then NOT NULL.
    for model in children:
        table, parent = model._meta.db_table, distributed_parents(model)[0]
        ptable = parent.related_model._meta.db_table
        statements += [
            f"ALTER TABLE {q(table)} ADD COLUMN tenant_id bigint",
            f"UPDATE {q(table)} AS c SET tenant_id = p.{q(column[ptable])} FROM {q(ptable)} AS p "
            f"WHERE c.{q(parent.column)} = p.{q(parent.target_field.column)}",
        ]
    with connection.cursor() as cursor:
        constraints = {m._meta.db_table: connection.introspection.get_constraints(cursor, m._meta.db_table)
                       for m in split}
    # 2. Keys: primary and unique with the tenant first (rows without a tenant cannot be placed: none may be left).
    for model in split:
        table, tc = model._meta.db_table, column[model._meta.db_table]
        pk = model._meta.pk.column
        statements.append(f"DELETE FROM {q(table)} WHERE {q(tc)} IS NULL")
        statements.append(f"ALTER TABLE {q(table)} ALTER COLUMN {q(tc)} SET NOT NULL")
        for name, info in sorted(constraints[table].items()):
            if info["primary_key"]:
                statements.append(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)} CASCADE")
                statements.append(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} PRIMARY KEY ({q(tc)}, {q(pk)})")
    for model in split:
        table, tc = model._meta.db_table, column[model._meta.db_table]
        for name, info in sorted(constraints[table].items()):
            if info["unique"] and not info["primary_key"] and tc not in info["columns"]:
                statements += _widen_unique(table, name, tc)
    # 3. Foreign keys between split tables: (tenant, x_id) → (tenant, id). The primary keys' CASCADE dropped
    # those that pointed at a primary key; the rest are dropped here.
    for model in split:
        table, tc = model._meta.db_table, column[model._meta.db_table]
        for name, info in sorted(constraints[table].items()):
            target = info["foreign_key"]
            if not target or target[0] not in column or info["columns"] == [tc]:
                continue
            (col,) = info["columns"]
            statements.append(f"ALTER TABLE {q(table)} DROP CONSTRAINT IF EXISTS {q(name)}")
            statements.append(
                f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} FOREIGN KEY ({q(tc)}, {q(col)}) "
                f"REFERENCES {q(target[0])} ({q(column[target[0]])}, {q(target[1])}) DEFERRABLE INITIALLY DEFERRED"
            )
    if citus:
        reference = [m for m in ours if m not in split and not m._meta.proxy]
        statements += [f"SELECT create_reference_table('{m._meta.db_table}')" for m in reference]
        for model in _referenced_first(split):
            table = model._meta.db_table
            colocate = "" if table == COLOCATE_WITH else f", colocate_with => '{COLOCATE_WITH}'"
            statements.append(f"SELECT create_distributed_table('{table}', '{column[table]}'{colocate})")
    return statements


def _referenced_first(split: list) -> list:
    """The split tables in an order where each comes after the tables it points at (Citus distributes a table
    only after those its foreign keys reference); the co-location table first."""
    tables = {m._meta.db_table: m for m in split}
    after = {t: {f.related_model._meta.db_table for f in foreign_keys(m)} & set(tables) - {t} for t, m in tables.items()}
    order, placed = [], set()
    pending = sorted(tables, key=lambda t: (t != COLOCATE_WITH, t))
    while pending:
        ready = [t for t in pending if after[t] <= placed] or pending[:1]  # a cycle: break it where it starts
        order.append(ready[0])
        placed.add(ready[0])
        pending.remove(ready[0])
    return [tables[t] for t in order]


def _widen_unique(table: str, name: str, tc: str) -> list[str]:
    """A unique constraint or index without the tenant, again with the tenant first (its condition kept)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid), c.conname IS NOT NULL FROM pg_index i "
            "JOIN pg_class x ON x.oid = i.indexrelid LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
            "AND c.contype = 'u' WHERE x.relname = %s",
            [name],
        )
        row = cursor.fetchone()
    if row is None:
        return []
    definition, is_constraint = row
    head, _, tail = definition.partition(" (")
    drop = (f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}" if is_constraint else f"DROP INDEX {q(name)}")
    return [drop, f"{head} ({q(tc)}, {tail}"]
