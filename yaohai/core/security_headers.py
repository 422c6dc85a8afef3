"""The headers a browser needs to refuse what the platform never does: a Content-Security-Policy without inline
script, and a Permissions-Policy that lets only the pages that need them use the position and the camera.

Our own small middleware rather than django-csp (docs/adr/0150): one policy for every response, no nonces (no
page has inline script: tests/core/test_security_headers.py renders every page and fails on one), no per-view
decorators. Referrer-Policy, Cross-Origin-Opener-Policy, X-Content-Type-Options, X-Frame-Options and HSTS come
from Django's own SecurityMiddleware and XFrameOptionsMiddleware (settings.py)."""

from __future__ import annotations

from django.conf import settings

# script-src 'self': no inline script, no eval. style-src also allows inline styles: the vendor libraries
# (Bootstrap's components, ECharts, Leaflet-free maps, htmx's indicator style) and a few templates' <style> blocks
# set them; styles cannot run code.
DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Off everywhere unless a page is listed in PERMISSIONS_POLICY_PAGES.
FEATURES = ("geolocation", "camera", "microphone", "payment", "usb")


def content_security_policy() -> str:
    policy = {**DEFAULT_POLICY, **getattr(settings, "CONTENT_SECURITY_POLICY", {})}
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def permissions_policy(view_name: str | None) -> str:
    allowed = set(getattr(settings, "PERMISSIONS_POLICY_PAGES", {}).get(view_name or "", ()))
    return ", ".join(f"{feature}=(self)" if feature in allowed else f"{feature}=()" for feature in FEATURES)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response that has not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        match = getattr(request, "resolver_match", None)
        response.headers.setdefault("Permissions-Policy", permissions_policy(match.view_name if match else None))
        return response
