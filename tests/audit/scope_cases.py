"""Scope cases of the audit pages: an audit administrator reads their own tenant's chain only."""

from audit import services


def entries(world):
    def row(tenant_key, label):
        tenant = world.tenants[tenant_key]
        return services.record(f"test.{label}", tenant_id=tenant.pk, summary={"marker": f"audit-marker-{label}"})

    return {"inside": row("A", "inside"), "sibling": None, "foreign": row("B", "foreign")}


SCOPE_CASES = {
    "audit:list": {"kind": "list", "objects": entries, "viewer": "A:auditor", "marker": lambda e: e.action},
    "audit:export": {"kind": "self", "viewer": "A:auditor"},
}
