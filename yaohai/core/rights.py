"""The rights a post may grant, declared by the app that owns each one.

Each app registers its own, with a label, in a `rights.py` its AppConfig.ready() imports:

    VIEW = rights.register("grids", "view", _("View records"))

The returned code is the constant the app's code uses (`scope_for(user, DISPATCH)`). Posts grant codes (a post's
`actions`, edited per tenant; the default catalogue is grids/catalogue.py); saving a post refuses a code no app
registered, and the scope (grids.scope.scope_for) is computed for the codes a request asks about — an unregistered
code there is a programming error, refused loudly. The stored codes never change meaning: a right moved to another
app keeps its code.

This module imports no app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Right:
    """One right: the app that declares it, its stored code, and its label for people (translated lazily)."""

    app: str
    code: str
    label: Any


_RIGHTS: dict[str, Right] = {}


def register(app: str, code: str, label) -> str:
    """Declare a right; returns its code. Registering the same code again from the same app is harmless."""
    known = _RIGHTS.get(code)
    if known is not None and known.app != app:
        raise ValueError(f"right {code!r} is declared by {known.app!r} already, not by {app!r}")
    _RIGHTS[code] = Right(app=app, code=code, label=label)
    return code


def registered() -> list[Right]:
    """Every declared right, in the order the apps declared them."""
    return list(_RIGHTS.values())


def codes() -> list[str]:
    return list(_RIGHTS)


def is_known(code: str) -> bool:
    return code in _RIGHTS


def label(code: str) -> str:
    """The right's label for people (its code when no app declares it)."""
    right = _RIGHTS.get(code)
    return str(right.label) if right else code


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs, for a form's choices."""
    return [(right.code, str(right.label)) for right in _RIGHTS.values()]
