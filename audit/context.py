"""Who is acting and from where, for the rows the services write: set once per request (or task, or command)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    tenant_id: int | None
    address: str | None


_current: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def current() -> Actor | None:
    return _current.get()


@contextmanager
def acting(*, user=None, address: str | None = None, name: str | None = None):
    """Run a block as this user from this address: what the services record in it names them."""
    actor = Actor(
        user_id=getattr(user, "pk", None),
        name=name or (user.get_username() if user is not None and user.is_authenticated else ""),
        tenant_id=getattr(user, "tenant_id", None),
        address=address,
    )
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def client_address(request) -> str | None:
    """The client's address: X-Forwarded-For only from a trusted proxy (yaohai.core.client_ip), else REMOTE_ADDR."""
    from yaohai.core.client_ip import client_ip

    return client_ip(request) or None


class AuditContextMiddleware:
    """Makes the signed-in user and the client's address the actor of whatever the request writes or reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_LazyRequestActor(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class _LazyRequestActor:
    """Reads request.user only when a row is written, so a request that writes nothing costs nothing."""

    def __init__(self, request):
        self._request = request

    def resolve(self) -> Actor:
        user = getattr(self._request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return Actor(
            user_id=user.pk if signed_in else None,
            name=user.get_username() if signed_in else "",
            tenant_id=getattr(user, "tenant_id", None) if signed_in else None,
            address=client_address(self._request),
        )


def resolve(value) -> Actor | None:
    return value.resolve() if isinstance(value, _LazyRequestActor) else value
