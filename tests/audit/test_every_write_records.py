"""The walk: every public write service (a module-level function under @transaction.atomic in the services
modules) records an audit row — it calls a recorder, directly or through a function of its own module — or is
named below with the reason it does not. A new write service without a row fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_MODULES = [
    "grids/services.py",
    "grids/accounts/services.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "events/services").glob("*.py")),
    "exports/services.py",
    "assessment/services.py",
    "registry/services.py",
    "registry/patrols.py",
]
# The calls that write an audit row: audit.record, the apps' one helpers, the workflow kit's log (on_step).
RECORDERS = {"audit.record", "audit_write", "_audit", "EVENTS.log", "_log", "step.finish", "record_access", "_record"}
# Write services that leave no row of their own, and why.
EXEMPT = {
    "events/services/sweep.py:mark_notifications_read": "a user's own inbox marked read: not a change of governance",
    "events/services/sweep.py:_sweep_one": "private: its escalations record through EVENTS.log; flags are derived",
    "assessment/services.py:install_default_scheme": "the default scheme installed with a new tenant (its row names it)",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def _is_atomic(fn: ast.FunctionDef) -> bool:
    return any(_name(d.func if isinstance(d, ast.Call) else d) == "transaction.atomic" for d in fn.decorator_list)


def _calls(fn: ast.FunctionDef) -> set[str]:
    return {_name(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}


def _unrecorded(path: str) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(), filename=path)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    calls = {name: _calls(fn) for name, fn in functions.items()}
    records = {name for name, called in calls.items() if called & RECORDERS}
    while True:  # a function records if it calls one of its module's functions that records
        more = {name for name, called in calls.items() if name not in records and called & records}
        if not more:
            break
        records |= more
    return [
        f"{path}:{name}" for name, fn in functions.items()
        if _is_atomic(fn) and name not in records and f"{path}:{name}" not in EXEMPT
    ]


def test_every_write_service_records_an_audit_row():
    missing = [found for path in SERVICE_MODULES for found in _unrecorded(path)]
    assert not missing, f"write services without an audit row (record one, or say why in EXEMPT): {missing}"


def test_the_walk_finds_a_write_service_that_records_nothing(tmp_path, monkeypatch):
    """The walk itself can fail: a module with an atomic write and no recorder is reported."""
    module = tmp_path / "bad_services.py"
    module.write_text(
        "from django.db import transaction\n\n@transaction.atomic\ndef change(*, thing):\n    thing.save()\n\n"
        "@transaction.atomic\ndef kept(*, thing):\n    thing.save()\n    audit.record('x', thing)\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _unrecorded("bad_services.py") == ["bad_services.py:change"]


def test_no_exemption_names_a_function_that_is_gone():
    for key in EXEMPT:
        path, name = key.split(":")
        tree = ast.parse((ROOT / path).read_text())
        assert any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body), key
