"""Timeline contributors: apps to the right add entries about an event to its page (a mediation case's progress)
without the events app knowing them. A contributor is `fn(event, actor) -> list[Entry]`, registered from the
contributing app's AppConfig.ready(); the detail page lists what every contributor returns. Offers are the same
for links to act on the event elsewhere (parties: turn it into a consultation topic)."""

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


# --- offers: what other apps let the user do with an event (a link on its page) --------------------------------------


@dataclass(frozen=True)
class Offer:
    """A link on an event's page to another app's page about it (e.g. turn it into a consultation topic)."""

    label: str
    url: str
    key: str = ""


_OFFERERS: dict[str, Callable] = {}


def register_offer(key: str, offerer: Callable) -> None:
    """`offerer(event, actor) -> list[Offer]`, registered from the offering app's AppConfig.ready()."""
    _OFFERERS[key] = offerer


def offers(event, actor) -> list[Offer]:
    """Every offering app's links for this event and actor, in registration order."""
    return [offer for fn in _OFFERERS.values() for offer in fn(event, actor)]
