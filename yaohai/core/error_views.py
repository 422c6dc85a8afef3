"""Our own error pages (templates/400.html, 403.html, 404.html, 500.html) and the CSRF failure page, in the
user's language and the platform's look. Django renders the first four by name; the CSRF page is
settings.CSRF_FAILURE_VIEW."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """A form posted without a valid security token: say what to do, not Django's English explanation."""
    return render(request, template_name, status=403)
