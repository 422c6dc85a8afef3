"""Errors answer in the user's language, in one shape on the API and in the platform's look on pages."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _api(world, key="A/S1/C1/G1:grid_worker", **kwargs):
    client = APIClient(**kwargs)
    client.force_login(world.user(key))
    return client


def test_an_api_404_names_no_model(world):
    response = _api(world).get(reverse("event-detail", kwargs={"pk": 987654}))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_a_body_that_is_not_json_is_refused_in_chinese(world):
    response = _api(world).post(reverse("event-list"), data="{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "JSON parse error" not in body["detail"] and "JSON" in body["detail"] and "请求" in body["detail"]


def test_a_missing_csrf_token_on_the_api_is_explained_in_chinese(world):
    response = _api(world, enforce_csrf_checks=True).post(reverse("event-list"), {}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed" and "CSRF Failed" not in body["detail"] and "刷新" in body["detail"]


def test_the_english_interface_gets_english_errors(world):
    response = _api(world).get(reverse("event-detail", kwargs={"pk": 987654}), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."


def test_the_404_page_is_ours_and_chinese(world):
    client = Client()
    client.force_login(world.user("A/S1/C1:grid_head"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and "页面不存在" in body and "e网清" in body


def test_a_page_csrf_failure_is_ours_and_chinese(world, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and "表单已过期" in body and "CSRF verification failed" not in body


def test_the_500_page_is_ours_and_chinese(rf):
    from django.views.defaults import server_error

    with translation.override("zh-hans"):
        response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-page"' in body and "服务器出错" in body and "Server Error (500)" not in body


def test_the_400_and_403_pages_are_ours(rf):
    from django.core.exceptions import PermissionDenied, SuspiciousOperation
    from django.views.defaults import bad_request, permission_denied

    with translation.override("zh-hans"):
        request = rf.get("/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        assert "请求有误" in bad_request(request, SuspiciousOperation()).content.decode()
        assert "无权操作" in permission_denied(request, PermissionDenied()).content.decode()
