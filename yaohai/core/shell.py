"""The platform's shell: the menu every page shows and the panels of each role's home (工作台).

Each app registers its own entries (in its AppConfig.ready, usually from a `shell.py` module of its own), so a new
domain adds its page to the navigation and its panel to the workbench by one registration, without editing this
module, the base template or another app:

    menu.register("events", _("Events"), "events:list", order=20, visible=for_roles(*OFFICERS))
    home_panels.register("todo", "events/panels/todo.html", build_todo, roles=OFFICERS, order=10)

The role of a user ("grid_worker", "officer", "admin", "none") comes from the app that knows the posts: it
registers its resolver with `set_role_resolver` (grids), since this module imports no app above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse

GRID_WORKER = "grid_worker"
OFFICER = "officer"
ADMIN = "admin"
NO_ROLE = "none"
OFFICERS = (OFFICER, ADMIN)  # community, street and district officers; tenant admins and superusers
EVERYONE = (GRID_WORKER, OFFICER, ADMIN)

_role_resolver: Callable | None = None


def set_role_resolver(resolver: Callable) -> None:
    """Who decides a user's role (grids.selectors.role_of): registered by that app when it is ready."""
    global _role_resolver
    _role_resolver = resolver


def role_of(user) -> str:
    """The user's role, as the registered resolver says; "none" for the anonymous or when nobody registered one."""
    if user is None or not user.is_authenticated or _role_resolver is None:
        return NO_ROLE
    cache = user.__dict__.setdefault("_shell_role", {})
    if "role" not in cache:
        cache["role"] = _role_resolver(user)
    return cache["role"]


def for_roles(*roles: str) -> Callable:
    """A `visible` test for menu entries: the user holds one of `roles`."""
    return lambda user: role_of(user) in roles


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the navigation: a label and where it goes, for whom, and whether it is a phone tab."""

    key: str
    label: object  # a lazy translation
    order: int
    url_name: str | None = None
    href: Callable | None = None  # href(user) -> str | None, where a url name with no argument does not do
    visible: Callable | None = None  # visible(user) -> bool; everyone signed in when None
    phone_tab: bool = False  # one of the grid worker's bottom tabs (首页 / 上报 / 待办 / 我的)
    icon: str = ""  # an icon of templates/includes/icon.html
    badge: Callable | None = None  # badge(user) -> int shown beside the label (unread notifications)
    active_on: tuple[str, ...] = ()  # url names ("ns:name" or "ns:*") that mark the entry as the current page
    side: bool = False  # shown at the right of the bar as an icon (notifications), not in the list


class Menu:
    """The registry of menu entries, one per key (registering a key again replaces it)."""

    def __init__(self):
        self._entries: dict[str, MenuEntry] = {}

    def register(
        self,
        key: str,
        label,
        url_name: str | None = None,
        *,
        order: int,
        visible: Callable | None = None,
        href: Callable | None = None,
        phone_tab: bool = False,
        icon: str = "",
        badge: Callable | None = None,
        active_on: Iterable[str] = (),
        side: bool = False,
    ) -> MenuEntry:
        if not (url_name or href):
            raise ValueError(f"menu entry {key!r} needs a url_name or an href")
        entry = MenuEntry(
            key=key, label=label, order=order, url_name=url_name, href=href, visible=visible, phone_tab=phone_tab,
            icon=icon, badge=badge, active_on=tuple(active_on) or ((url_name,) if url_name else ()), side=side,
        )
        self._entries[key] = entry
        return entry

    def entries(self) -> list[MenuEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.key))

    def get(self, key: str) -> MenuEntry | None:
        return self._entries.get(key)


@dataclass(frozen=True)
class MenuItem:
    """A menu entry as one user sees it on one page."""

    key: str
    label: object
    href: str
    active: bool
    icon: str
    badge: int
    phone_tab: bool
    side: bool


@dataclass(frozen=True)
class HomePanel:
    """One panel of a role's home: its template, and what it shows built from the actor (None hides it)."""

    key: str
    template: str
    build: Callable  # build(actor) -> dict | None
    roles: tuple[str, ...]
    order: int


class HomePanels:
    """The registry of home panels, one per key (registering a key again replaces it)."""

    def __init__(self):
        self._panels: dict[str, HomePanel] = {}

    def register(self, key: str, template: str, build: Callable, roles: Iterable[str], order: int) -> HomePanel:
        panel = HomePanel(key=key, template=template, build=build, roles=tuple(roles), order=order)
        self._panels[key] = panel
        return panel

    def for_role(self, role: str) -> list[HomePanel]:
        return sorted((p for p in self._panels.values() if role in p.roles), key=lambda p: (p.order, p.key))

    def compose(self, *, actor, role: str) -> list[tuple[HomePanel, dict]]:
        """The panels of the role's home, each with what it shows; a panel whose build answers None is left out."""
        composed = []
        for panel in self.for_role(role):
            data = panel.build(actor)
            if data is not None:
                composed.append((panel, data))
        return composed


menu = Menu()
home_panels = HomePanels()


def _matches(pattern: str, view_name: str) -> bool:
    if pattern.endswith(":*"):
        return view_name.startswith(pattern[:-1])
    return pattern == view_name


class Shell:
    """What the base template shows around every page for the signed-in user, computed on first use only."""

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)

    @cached_property
    def role(self) -> str:
        return role_of(self.user)

    @property
    def phone(self) -> bool:
        """Grid workers get the phone shell (a slim bar and the bottom tabs) on every page."""
        return self.role == GRID_WORKER

    @cached_property
    def items(self) -> list[MenuItem]:
        if self.user is None or not self.user.is_authenticated:
            return []
        match = getattr(self.request, "resolver_match", None)
        view_name = match.view_name if match else ""
        tab = self.request.GET.get("tab", "")
        items = []
        for entry in menu.entries():
            if entry.visible is not None and not entry.visible(self.user):
                continue
            href = entry.href(self.user) if entry.href else reverse(entry.url_name)
            if not href:
                continue
            if "?tab=" in href:  # the home page's own tabs (我的) are told apart by their query
                active = view_name == "home" and href.endswith(f"?tab={tab}")
            else:
                active = any(_matches(p, view_name) for p in entry.active_on) and not (view_name == "home" and tab)
            items.append(
                MenuItem(
                    key=entry.key, label=entry.label, href=href, active=active, icon=entry.icon,
                    badge=entry.badge(self.user) if entry.badge else 0, phone_tab=entry.phone_tab, side=entry.side,
                )
            )
        return items

    @property
    def links(self) -> list[MenuItem]:
        return [i for i in self.items if not i.side]

    @property
    def side(self) -> list[MenuItem]:
        return [i for i in self.items if i.side]

    @property
    def tabs(self) -> list[MenuItem]:
        return [i for i in self.items if i.phone_tab]


def register_core() -> None:
    """The shell's own entries: the role's home, a grid worker's 我的, and the administration for staff."""
    from django.utils.translation import gettext_lazy as _

    menu.register("workbench", _("Workbench"), "home", order=10, visible=for_roles(*OFFICERS, NO_ROLE), icon="home")
    menu.register(
        "phone-home", _("Home"), "home", order=10, visible=for_roles(GRID_WORKER), phone_tab=True, icon="home"
    )
    menu.register(
        "me", _("Me"), href=lambda user: reverse("home") + "?tab=me", order=95, visible=for_roles(GRID_WORKER),
        phone_tab=True, icon="user",
    )
    menu.register(
        "admin", _("Administration"), "admin:index", order=90, visible=lambda user: user.is_staff, icon="gear"
    )


def context(request) -> dict:
    """Template context processor: `shell` on every page (nothing is read until a template asks)."""
    return {"shell": Shell(request)}
