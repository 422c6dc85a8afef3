"""yaohai/core is small shared code that every app may use: it imports no app (DESIGN.md §1)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent.parent / "yaohai" / "core"
# The role homes in views.py predate the rule; they leave with the menu and home registries (issue 10).
NOT_YET = {"views.py"}
APPS = {"grids", "events", "exports", "dashboards", "assessment", "registry", "parties", "points", "mediation"}


def test_the_core_imports_no_app():
    offenders = []
    for path in CORE.rglob("*.py"):
        if str(path.relative_to(CORE)) in NOT_YET:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE)}: {name}" for name in names if name.split(".")[0] in APPS]
    assert not offenders
