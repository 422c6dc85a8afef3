"""The import order of the apps, read from the source (ast), not from a running interpreter:

    yaohai.core → audit → grids → exports → dashboards → events → registry → (parties, mediation) → points
    → residents → assessment → cities

An app may import its own modules and the apps to its left, never one to its right nor a peer of its own tier
(lazy imports inside functions included: a lazy import is still a dependency). The project's wiring (yaohai's
settings, urls, celery, wsgi) may import every app and no app imports it. And no module imports itself in a
circle through module-level imports, inside an app or across apps (an import inside a function runs later and
is not part of a circle). Registries are how a left app uses what a right app provides: the right app registers
(docs/architecture.md).

A new app must be placed in TIERS before its first module is read: the test fails for any app it does not know.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Left to right; the apps of one tier are peers (none imports another). Apps not written yet are named already,
# so that they slot in.
TIERS: tuple[tuple[str, ...], ...] = (
    ("yaohai.core",),
    ("audit",),  # the audit trail (on main since this branch began): it imports yaohai.core only
    ("grids",),
    ("exports",),
    ("dashboards",),
    ("events",),
    ("registry",),  # people, places, households: every later domain points at its records
    ("parties", "mediation"),  # parties build on the registry; mediation on the registry and events
    ("points",),  # the passbook credits parties' activities and partner units' rewards
    ("residents",),  # residents' own pages: their reports, passbook, activities and notices
    ("assessment",),
    ("cities",),  # the city level: rolls up the districts' dashboards (events' panels) and their assessment
)
PROJECT = "yaohai"  # settings, urls, celery, wsgi: the wiring of every app
# Modules of yaohai.core that are wiring too: the pages every role shares (the role homes read the grids; the
# platform-shell issue turns them into panels each app registers).
WIRING = {"yaohai.core.views"}
NOT_APPS = {"tests", "bench", "docs", "locale", "static", "templates"}
TIER_OF = {app: n for n, tier in enumerate(TIERS) for app in tier}


def _app_dirs() -> list[str]:
    """Every top-level Python package of the project (its apps), yaohai.core counted apart from yaohai."""
    found = []
    for path in sorted(ROOT.iterdir()):
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_APPS:
            found.append(path.name)
    return found


def _modules() -> dict[str, Path]:
    """Every module of the apps and of the project, by dotted name."""
    modules = {}
    for top in _app_dirs():
        for path in (ROOT / top).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def app_of(module: str) -> str:
    if module in WIRING:
        return PROJECT
    if module == "yaohai.core" or module.startswith("yaohai.core."):
        return "yaohai.core"
    return module.split(".")[0]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _target(name: str) -> str | None:
    """The deepest module of ours that `name` names (a.b.c → a.b.c, or a.b when c is a name inside a.b)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(module: str) -> list[tuple[str, bool, int]]:
    """(imported module of ours, at module level?, line) for every import statement of `module`."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, bool, int]] = []

    def visit(node, top_level: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # annotations only: never executed
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _target(alias.name)
                    if target:
                        found.append((target, top_level, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    stem = ".".join([*base, child.module] if child.module else base)
                else:
                    stem = child.module or ""
                for alias in child.names:
                    target = _target(f"{stem}.{alias.name}") if alias.name != "*" else _target(stem)
                    if target:
                        found.append((target, top_level, child.lineno))
            nested = top_level and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, nested)

    visit(tree, True)
    return found


def test_every_app_has_a_place_in_the_order():
    unknown = sorted({app_of(m) for m in MODULES} - set(TIER_OF) - {PROJECT})
    assert not unknown, f"place these apps in tests/test_imports.py's TIERS: {unknown}"


def test_no_app_imports_an_app_to_its_right_or_the_project_wiring():
    wrong = []
    for module in sorted(MODULES):
        app = app_of(module)
        if app == PROJECT:
            continue  # settings, urls, celery: they wire every app
        for target, _top, line in imports(module):
            other = app_of(target)
            if other == app:
                continue
            if other == PROJECT:
                wrong.append(f"{module}:{line} imports {target} (the project's wiring)")
            elif TIER_OF[other] >= TIER_OF[app]:
                wrong.append(f"{module}:{line} imports {target} ({other} is not to the left of {app})")
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or of one importing itself (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def connect(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def module_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports at module level (a package's own __init__ aside: a submodule that
    imports from its package while the package imports it is Python's ordinary partial initialisation)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        targets = {t for t, top, _line in imports(module) if top}
        parents = {module.rsplit(".", n)[0] for n in range(1, module.count(".") + 1)}
        graph[module] = targets - parents - {module} | ({module} & targets)
    return graph


def test_no_module_level_import_circle():
    cycles = _cycles(module_graph())
    assert not cycles, "module-level import circles: " + "; ".join(" → ".join(c) for c in cycles)


def test_the_checks_see_a_violation(tmp_path):
    """The reader itself: a right-to-left import and a two-module circle are found (the checks can fail)."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    assert ("events.models", True) in {(t, top) for t, top, _line in imports("events.services.writes")}
    assert ("dashboards.cache", True) in {(t, top) for t, top, _line in imports("events.services.writes")}
    assert TIER_OF["assessment"] > TIER_OF["events"] > TIER_OF["dashboards"] > TIER_OF["exports"] > TIER_OF["grids"]
