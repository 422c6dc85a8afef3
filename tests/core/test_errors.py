"""The one error hierarchy: each class answers its status, once for the API and once for the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from yaohai.core.errors import (
    Conflict,
    DomainError,
    DomainErrorMiddleware,
    Invalid,
    NotAllowed,
    NotFound,
    api_exception_handler,
)

CASES = [(Invalid, 400), (NotAllowed, 403), (NotFound, 404), (Conflict, 409)]


@pytest.mark.parametrize("cls, status", CASES)
def test_the_api_answers_the_class_status_with_the_message(cls, status):
    response = api_exception_handler(cls("说明原因"), {})
    assert response.status_code == status
    assert response.data == {"detail": "说明原因"}


def test_the_api_answers_a_service_validation_error_with_its_fields():
    response = api_exception_handler(ValidationError({"note": ["写明原因"]}), {})
    assert (response.status_code, response.data) == (400, {"note": ["写明原因"]})
    assert api_exception_handler(ValidationError("整体"), {}).data == {"detail": ["整体"]}


def test_other_exceptions_are_left_to_drf():
    from rest_framework.exceptions import NotFound as DRFNotFound

    assert api_exception_handler(DRFNotFound(), {}).status_code == 404
    assert api_exception_handler(KeyError("x"), {}) is None


@pytest.mark.django_db
@pytest.mark.parametrize("cls, status", CASES)
def test_a_page_renders_an_unhandled_refusal_in_the_site_look(cls, status, world):
    request = RequestFactory().post("/somewhere/")
    request.user = world.user("A:admin")
    middleware = DomainErrorMiddleware(lambda r: None)
    response = middleware.process_exception(request, cls("不能这样做"))
    assert response.status_code == status
    body = response.content.decode()
    assert "不能这样做" in body and 'data-testid="refused"' in body
    assert middleware.process_exception(request, KeyError("x")) is None


def test_every_refusal_is_a_domain_error_with_a_default_message():
    for cls, _status in CASES:
        assert issubclass(cls, DomainError)
        assert cls().message
