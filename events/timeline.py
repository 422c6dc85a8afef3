"""Timeline contributors: apps to the right add entries about an event to its page (a mediation case's progress)
without the events app knowing them. A contributor is `fn(event, actor) -> list[Entry]`, registered from the
contributing app's AppConfig.ready(); the detail page lists what every contributor returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One line on an event's timeline from another app: when, what, and where to read more (may be empty)."""

    at: dt.datetime
    title: str
    text: str = ""
    url: str = ""


_CONTRIBUTORS: dict[str, Callable] = {}


def register(key: str, contributor: Callable) -> None:
    _CONTRIBUTORS[key] = contributor


def entries(event, actor) -> list[Entry]:
    """Every contributor's entries about this event for this actor, oldest first."""
    found = [entry for fn in _CONTRIBUTORS.values() for entry in fn(event, actor)]
    return sorted(found, key=lambda entry: entry.at)
