"""Photos are served through a scoped view, never as a public folder."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from events.models import EventPhoto
from tests.events.images import jpeg_bytes

from .conftest import GRID, HEAD, WORKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(ev):
    event = ev.report()
    picture = EventPhoto(event=event, log=event.logs.first(), kind="report", uploaded_by=ev.user(WORKER))
    picture.image.save("p.jpg", ContentFile(jpeg_bytes()), save=True)
    return picture


def test_the_reporter_and_the_officer_get_the_photo(photo, client_for):
    for who in (WORKER, HEAD):
        response = client_for(who).get(reverse("events:photo", args=[photo.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_someone_outside_the_subtree_gets_404(photo, client_for):
    assert client_for("A/S1/C2:grid_head").get(reverse("events:photo", args=[photo.pk])).status_code == 404


def test_pages_and_api_link_the_scoped_view_not_the_storage_path(photo, client_for):
    url = reverse("events:photo", args=[photo.pk])
    page = client_for(HEAD).get(reverse("events:detail", args=[photo.event_id])).content.decode()
    assert url in page and "/media/" not in page
    api = client_for(HEAD).get(reverse("event-detail", args=[photo.event_id])).json()
    assert api["photos"][0]["image"].endswith(url)


def test_media_is_not_served_as_a_folder(photo, client_for):
    assert client_for(HEAD).get("/media/" + photo.image.name).status_code == 404


assert GRID  # the event of the `photo` fixture is filed in this grid
