"""The schema stays ready for a distributed PostgreSQL keyed by tenant (Citus; docs/scale.md, ADR 0016).

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

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

# The tenant column of tables that carry it under another name.
TENANT_COLUMN = {"audit.Entry": "chain"}

# Reference tables that carry a tenant column but are copied to every node rather than split by it.
REFERENCE = {
    "grids.User": "accounts: platform administrators have no tenant; every table points at them (actor, reporter), "
                  "and a province's ~10^5 accounts are small enough to copy to every node",
}

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
        "parties.TeamMember", "parties.PartnerOffer",
        "mediation.Mediator", "mediation.CaseParty", "mediation.CaseLog", "mediation.Transfer", "mediation.Notice",
        "mediation.Session", "mediation.Evidence", "mediation.Agreement", "mediation.FollowUp",
        "mediation.CaseUserObjectPermission",
        "points.RuleVersion", "points.ServiceLog", "points.RedemptionLog",
        "residents.ReportLink", "residents.ResidentNotice",
        "assessment.SchemeIndicator",
    )},
    # Rows of distributed tables that point at such a child: the composite key follows once the child has its
    # column.
    ("mediation.Case", "points-at", "mediator"): "mediation.Mediator gets tenant_id at conversion",
    ("points.ServiceRecord", "points-at", "rule"): "points.RuleVersion gets tenant_id at conversion",
}


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


def points_at_distributed(model) -> list[str]:
    return [f.name for f in foreign_keys(model) if f.name != "tenant" and is_distributed(f.related_model)]


def unique_sets(model) -> list[tuple[str, tuple[str, ...]]]:
    found = [(c.name, tuple(c.fields)) for c in model._meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields]
    found += [("_".join(fields), tuple(fields)) for fields in model._meta.unique_together]
    expressions = [c.name for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and not c.fields]
    found += [(name, ("<expression>",)) for name in expressions]
    return found


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
