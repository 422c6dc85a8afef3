"""Scope cases of the dashboard routes (shape: tests/scope_cases.py). The viewer heads community A/S1/C1."""

from tests.scope_cases import nodes

SCOPE_CASES = {
    "dashboards:node": {"kind": "object", "objects": nodes("community")},
    "dashboards:screen": {"kind": "object", "objects": nodes("grid")},
    "dashboards:export": {"kind": "object", "objects": nodes("community"), "query": {"table": "overdue"}},
}
