"""The API's documentation and root (issue 11): Swagger UI comes from the platform, not a CDN; the root lists every
app's resources."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_swagger_ui_is_served_from_the_platform(client):
    body = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "cdn.jsdelivr" not in body and "unpkg" not in body
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_api_root_lists_every_apps_resources(world, client_for):
    response = client_for("A/S1/C1:grid_head").get(reverse("api-root"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) >= {
        "nodes", "posts", "assignments", "exports", "events", "event-categories", "handling-units", "notifications"
    }
