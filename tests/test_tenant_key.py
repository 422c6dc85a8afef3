"""The schema stays ready for a distributed PostgreSQL keyed by tenant (Citus; docs/scale.md, ADR 0018).

Read from the models themselves (apps.get_models, with the auto-created many-to-many tables), so a new domain's
models are held to the same rules the day they are added:

- a table is **distributed** by its tenant column when it has one (`tenant`; the audit trail's `chain`, which is
  the tenant's id, 0 for platform rows); a table without one whose foreign keys all point at tables without one
  is a **reference** table (small and global, copied to every node: tenants, accounts, the calendar);
- **every table that points at a distributed table carries the tenant** itself, so its rows live on the same
  node as the rows they point at, and the foreign key can be declared on (tenant_id, x_id) as the engine needs;
- the tenant column is **NOT NULL**;
- **every unique constraint includes the tenant** (the engine enforces uniqueness only within a shard), and no
  column but the tenant itself is unique alone;
- a distributed table points only at distributed or reference tables.

Where a model breaks a rule, it is listed below with the reason; an entry that no longer applies fails too, so the
list shrinks as models are fixed and never hides a new break.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

from yaohai.core.tenant_key import (
    REFERENCE,
    conversion_ddl,
    distributed_parents,
    foreign_keys,
    is_distributed,
    label,
    project_models,
    tenant_field,
    unique_sets,
)

# (model, rule, what) → why it is allowed. Rules: "tenant" (points at a distributed table, carries no tenant),
# "nullable" (tenant column may be NULL), "unique" (a unique constraint without the tenant), "unique-column"
# (a column unique alone).
EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # simple_history's copies: it declares every copied foreign key nullable and without a database constraint;
    # the tenant is always copied from the row. At conversion: SET NOT NULL (no NULL exists).
    ("grids.HistoricalGridNode", "nullable", "tenant"): "simple_history copy; always filled from the row",
    ("grids.HistoricalPost", "nullable", "tenant"): "simple_history copy; always filled from the row",
    ("grids.HistoricalAssignment", "nullable", "tenant"): "simple_history copy; always filled from the row",
    ("exports.ExportJob", "nullable", "tenant"): "a superuser's export has no tenant: such rows stay on the "
                                                  "coordinator's default tenant 0 at conversion (docs/scale.md)",
    # Names unique among siblings: the admin's forms validate them, and leave the tenant out of the form; Django
    # skips a constraint's validation when one of its fields is not on the form, so widening it here would turn a
    # form error into a database error. The parent fixes the tenant: the conversion DDL widens the index.
    ("grids.GridNode", "unique", "node_name_unique_among_siblings"): "admin form validation (see above)",
    ("events.Category", "unique", "event_subcategory_unique"): "admin form validation (see above)",
    # Unique one-to-one columns: Django's OneToOneField is one column; the referenced row fixes the tenant, so
    # UNIQUE (tenant_id, x_id) means the same. The conversion DDL widens each index (docs/scale.md).
    ("points.Account", "unique-column", "holder"): "one-to-one; widened at conversion",
    ("points.Movement", "unique-column", "reverses"): "one-to-one; widened at conversion",
    ("points.ServiceRecord", "unique-column", "movement"): "one-to-one; widened at conversion",
    ("points.ServiceRequest", "unique-column", "payment"): "one-to-one; widened at conversion",
    ("points.Redemption", "unique-column", "payment"): "one-to-one; widened at conversion",
    ("points.Redemption", "unique-column", "refund"): "one-to-one; widened at conversion",
    ("residents.ResidentAccount", "unique-column", "user"): "one-to-one; widened at conversion",
    ("mediation.Case", "unique-column", "event"): "one-to-one; widened at conversion",
    ("parties.FollowUp", "unique-column", "event"): "one-to-one; widened at conversion",
    ("residents.Open311Request", "unique-column", "event"): "one-to-one; widened at conversion",
    # Looked up before the tenant is known: an Open311 client's API key (its hash) and a request's public token
    # name the district themselves. Globally unique random values; a reference table's index at conversion.
    ("residents.Open311Client", "unique-column", "key_hash"): "looked up before the tenant is known",
    ("residents.Open311Request", "unique-column", "token"): "looked up before the tenant is known",
    # Child rows reached only through their parent (an event's log, photos, requests; a case's parties …). They
    # get the column by the conversion's ALTER TABLE … ADD tenant_id + UPDATE … FROM parent (docs/scale.md), and
    # their unique constraints gain it then; in Django they would need every writer to set it. The events' log is
    # the one on a hot path: first in line.
    **{(label, "tenant", "tenant"): "child of a scoped row; gets tenant_id at conversion (docs/scale.md)" for label in (
        "events.EventLog", "events.EventPhoto", "events.ExtensionRequest", "events.PauseRequest",
        "events.Notification", "events.HandlingUnit_members",
        "registry.HouseholdMember", "registry.HouseholdChange", "registry.PatrolPoint", "registry.PatrolCheckIn",
        "registry.PatrolFinding",
        "parties.Transfer", "parties.CentreSection", "parties.TopicLog", "parties.Attendee", "parties.Vote",
        "parties.TeamMember", "parties.PartnerOffer", "parties.ActivityPhoto",
        "mediation.Mediator", "mediation.CaseParty", "mediation.CaseLog", "mediation.Transfer",
        "mediation.Session", "mediation.Evidence", "mediation.Agreement", "mediation.FollowUp",
        "mediation.CaseUserObjectPermission",
        "points.RuleVersion", "points.ServiceLog", "points.RedemptionLog",
        "points.EvaluationItem", "points.EvaluationLog", "points.HouseholdScore", "points.Inspection",
        "points.Objection", "registry.VisitReminder",
        "residents.ReportLink", "residents.ResidentNotice",
        "assessment.SchemeIndicator",
    )},
    # Rows of distributed tables that point at such a child: the composite key follows once the child has its
    # column.
    ("mediation.Case", "points-at", "mediator"): "mediation.Mediator gets tenant_id at conversion",
    ("points.ServiceRecord", "points-at", "rule"): "points.RuleVersion gets tenant_id at conversion",
}


def points_at_distributed(model) -> list[str]:
    return [f.name for f in distributed_parents(model)]


def breaks() -> dict[tuple[str, str, str], str]:
    """Every break of the rules, by (model, rule, what)."""
    found = {}
    for model in project_models():
        name = label(model)
        column = tenant_field(model)
        if column is None:
            pointing = points_at_distributed(model)
            if pointing:
                found[(name, "tenant", "tenant")] = f"points at distributed tables ({', '.join(pointing)}) without a tenant"
            continue
        if name in REFERENCE:
            continue
        if column.null:
            found[(name, "nullable", column.name)] = "the tenant column allows NULL"
        for constraint, fields in unique_sets(model):
            if column.name not in fields:
                found[(name, "unique", constraint)] = f"unique on {fields} without {column.name}"
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key and field.name != column.name:
                found[(name, "unique-column", field.name)] = "unique alone"
        for field in foreign_keys(model):
            target = field.related_model
            if tenant_field(target) is None and points_at_distributed(target):
                found[(name, "points-at", field.name)] = f"points at {label(target)}, a child without a tenant"
    return found


def test_the_rules_find_the_models():
    """The walk sees every domain's models (a broken walk would pass every rule)."""
    labels = {label(m) for m in project_models()}
    assert {"events.Event", "registry.Resident", "points.Entry", "audit.Entry", "grids.GridNode"} <= labels
    assert is_distributed(apps.get_model("events", "Event"))
    assert is_distributed(apps.get_model("audit", "Entry"))  # by its chain
    assert not is_distributed(apps.get_model("grids", "Tenant"))
    assert not is_distributed(apps.get_model("grids", "User"))  # reference
    assert len([m for m in project_models() if is_distributed(m)]) >= 50


def test_every_scoped_table_keeps_the_tenant_key():
    found = breaks()
    new = {key: why for key, why in found.items() if key not in EXCEPTIONS}
    assert not new, "tables that break the tenant-key rules (fix them, or list them with the reason):\n" + "\n".join(
        f"  {key}: {why}" for key, why in sorted(new.items())
    )


def test_every_exception_still_applies():
    stale = sorted(set(EXCEPTIONS) - set(breaks()))
    assert not stale, f"these exceptions no longer apply: remove them from EXCEPTIONS: {stale}"


def test_the_rules_catch_a_break():
    """A model that points at a distributed table without a tenant, and a unique column, are found."""

    class Stray(models.Model):  # noqa: DJ008
        event = models.OneToOneField("events.Event", on_delete=models.CASCADE)

        class Meta:
            app_label = "events"

    class Scoped(models.Model):  # noqa: DJ008
        tenant = models.ForeignKey("grids.Tenant", on_delete=models.CASCADE, null=True)
        code = models.CharField(max_length=10)

        class Meta:
            app_label = "events"
            constraints = [models.UniqueConstraint(fields=["code"], name="scoped_code_unique")]

    try:
        found = breaks()
        assert ("events.Stray", "tenant", "tenant") in found
        assert ("events.Scoped", "nullable", "tenant") in found
        assert ("events.Scoped", "unique", "scoped_code_unique") in found
    finally:
        for model in (Stray, Scoped):
            del apps.all_models["events"][model._meta.model_name]
        apps.clear_cache()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_citus_calls_cover_every_table(db):
    statements = conversion_ddl(citus=True)
    distributed = [s for s in statements if s.startswith("SELECT create_distributed_table")]
    assert distributed[0] == "SELECT create_distributed_table('grids_gridnode', 'tenant_id')"
    assert "SELECT create_distributed_table('audit_entry', 'chain', colocate_with => 'grids_gridnode')" in statements
    assert "SELECT create_reference_table('grids_tenant')" in statements
    assert "SELECT create_reference_table('grids_user')" in statements
    tables = {s.split("'")[1] for s in statements if s.startswith("SELECT create_")}
    assert tables == {m._meta.db_table for m in project_models()}
    # A table is distributed after every table it points at.
    seen = set()
    for statement in distributed:
        table = statement.split("'")[1]
        model = next(m for m in project_models() if m._meta.db_table == table)
        targets = {f.related_model._meta.db_table for f in foreign_keys(model)} - {table}
        split = {s.split("'")[1] for s in distributed}
        assert targets & split <= seen, table
        seen.add(table)
