"""A Content-Security-Policy without inline script holds only if no page has one: every page route of the scope
walk (tests/test_scope.py's cases, as their viewer) and the admin are rendered and searched for an inline
<script>, an on… handler attribute or a javascript: link; every response carries the policy headers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from tests.test_scope import CASES, ROUTES, VIEWER, _kwargs

pytestmark = pytest.mark.django_db


class _InlineFinder(HTMLParser):
    """Collects what a script-src 'self' policy would block: inline scripts, handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not attrs.get("src"):
            kind = (attrs.get("type") or "").lower()
            self._in_inline_script = kind not in ("application/json", "application/ld+json")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_finds_what_the_policy_blocks():
    assert inline_code('<script>alert(1)</script>') and inline_code('<a href="#" onclick="x()">')
    assert inline_code('<a href="javascript:void(0)">') and inline_code('<body onload="x()">')
    assert not inline_code('<script src="/static/js/ui.js"></script><script id="d" type="application/json">{"a":1}</script>')
    assert not inline_code('<p data-on="x" class="one">online</p>')


def _routes():
    for name in ROUTES:
        case = CASES.get(name, {})
        if case.get("method", "get") == "get" and case.get("kind") in ("object", "list", "self", "public"):
            yield name, case


def _url(name, case, world):
    if case["kind"] == "object":
        kwargs = _kwargs(case, case["objects"](world)["inside"])
    elif case["kind"] == "public":
        kwargs = {}
    else:
        kwargs = case.get("kwargs", lambda w: {})(world)
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a public route that takes arguments its case does not give
        return None


def _check(name, response):
    if response.status_code >= 500:
        return [f"{name}: {response.status_code}"]
    problems = [] if "Content-Security-Policy" in response.headers else [f"{name}: no Content-Security-Policy"]
    if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        problems += [f"{name}: {found}" for found in inline_code(content.decode())]
    return problems


def test_no_page_has_inline_script_and_every_page_carries_the_policy(world, client_for):
    clients, problems, pages, statuses = {}, [], 0, {}
    for viewer in {case.get("viewer", VIEWER) for _name, case in _routes()}:
        if viewer in world.users:
            clients[viewer] = client_for(viewer)  # signed in outside the savepoints (their sessions must stay)
    for name, case in _routes():
        with transaction.atomic():  # each case's objects are made afresh, as in the scope walk
            case.get("prepare", lambda w: None)(world)  # a viewer the world does not hold (a city officer)
            url = _url(name, case, world)
            if url is not None:
                viewer = case.get("viewer", VIEWER)
                # a viewer made by the case itself signs in inside the case's savepoint
                client = clients.get(viewer) or client_for(viewer)
                response = client.get(url, case.get("query", {}))
                pages += response.status_code == 200
                statuses[name] = response.status_code
                problems += _check(name, response)
            transaction.set_rollback(True)
    for path in ("/admin/", reverse("admin:grids_gridnode_change", args=[world.nodes["A/S1/C1"].pk]),
                 reverse("admin:grids_assignment_changelist")):
        response = client_for("A:admin").get(path)
        assert response.status_code == 200, path
        problems += _check(path, response)
    assert pages > 30, (pages, statuses)  # the walk really rendered the pages
    assert not problems, problems


def test_the_policy_allows_only_our_own_script(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data: blob:" and directives["connect-src"] == "'self'"
    assert "unsafe-eval" not in policy and not re.search(r"script-src[^;]*unsafe-inline", policy)


def test_position_and_camera_only_where_they_are_used(world, client_for):
    client = client_for("A/S1/C1/G1:grid_worker")
    report = client.get(reverse("events:report")).headers["Permissions-Policy"]
    assert "geolocation=(self)" in report and "camera=(self)" in report
    home = client.get(reverse("home")).headers["Permissions-Policy"]
    assert "geolocation=()" in home and "camera=()" in home and "microphone=()" in home
    response = client.get(reverse("home"))
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["X-Frame-Options"] == "DENY"
