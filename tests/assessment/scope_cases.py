"""Scope cases of the assessment routes (shape: tests/scope_cases.py). The viewer heads community A/S1/C1, which
grants `assess` there: they see their community's month, not a sibling's, never another tenant's."""

from assessment import services
from assessment.months import current_month, previous_month
from tests.scope_cases import nodes


def scored(level):
    """Both tenants' last month scored (by their admins), then the nodes of tests/scope_cases.nodes."""
    pick = nodes(level)

    def objects(w):
        month = previous_month(current_month())
        for key in ("A", "B"):
            services.compute_month(actor=w.user(f"{key}:admin"), tenant=w.tenants[key], month=month)
        return pick(w)

    return objects



SCOPE_CASES = {
    "assessment:index": {"kind": "self"},
    "assessment:me": {"kind": "self"},
    "assessment:node": {"kind": "object", "objects": scored("community")},
    "assessment:sheet": {"kind": "object", "objects": scored("community")},
    # The .xlsx is zipped: tests/assessment/test_pages.py::test_xlsx_sheet reads its cells.
    "assessment:export": {"kind": "object", "objects": scored("community")},
    # The viewer may see the month but not compute or publish it: 403 inside, 404 outside.
    "assessment:compute": {"kind": "object", "objects": nodes("community"), "method": "post",
                           "data": {"month": "2026-01"}},
    "assessment:publish": {"kind": "object", "objects": nodes("community"), "method": "post",
                           "data": {"month": "2026-01", "version": "1"}},
}
