"""Hostile input on filing: huge photos, huge texts, a point in another district; references per district."""

import importlib
from io import BytesIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event
from grids import geo
from grids.models import GridNode

from .conftest import GRID, HEAD, WORKER
from .images import jpeg_bytes
from .test_pages import report_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _big_png() -> bytes:
    """A 6300×6300 PNG (just under the per-photo limit), cheap to make: one bit per pixel, one colour."""
    out = BytesIO()
    Image.new("1", (6300, 6300)).save(out, format="PNG")
    return out.getvalue()


def _api_payload(ev, key, **extra):
    return {"node": ev.world.nodes[GRID].pk, "category": ev.category().pk, "title": "井盖缺失",
            "idempotency_key": key, **extra}


def test_six_huge_photos_exceed_the_request_budget_on_the_api(ev, client_for):
    png = _big_png()
    photos = [SimpleUploadedFile(f"p{i}.png", png, content_type="image/png") for i in range(6)]
    response = client_for(WORKER).post(reverse("event-list"), _api_payload(ev, "big", photos=photos))
    assert response.status_code == 400
    assert "megapixels" in str(response.json()) or "百万像素" in str(response.json())
    assert not Event.objects.exists()


def test_the_budget_counts_both_photo_inputs_of_the_form(ev, client_for, settings):
    settings.PHOTO_REQUEST_MAX_PIXELS = 64 * 48 * 3
    data = report_data(ev, handled_on_spot="on")
    data["photos"] = [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(2)]
    data["after_photos"] = [SimpleUploadedFile(f"a{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(2)]
    response = client_for(WORKER).post(reverse("events:report"), data)
    assert response.status_code == 400  # the form again, with the reason
    assert "photos" in response.context["form"].errors
    assert not Event.objects.exists()
    data["photos"], data["after_photos"] = data["photos"][:1], data["after_photos"][:1]
    for upload in data["photos"] + data["after_photos"]:
        upload.seek(0)
    data["idempotency_key"] = "within-budget"
    assert client_for(WORKER).post(reverse("events:report"), data).status_code == 302


def test_a_huge_description_is_refused_everywhere(ev, client_for):
    huge = "很" * 2_000_000
    response = client_for(WORKER).post(
        reverse("event-list"), _api_payload(ev, "long", description=huge), content_type="application/json"
    )
    assert response.status_code == 400 and "description" in response.json()
    page = client_for(WORKER).post(reverse("events:report"), report_data(ev, description=huge))
    assert page.status_code == 400 and "description" in page.context["form"].errors
    from events.models import DESCRIPTION_MAX_LENGTH

    with pytest.raises(ValidationError) as caught:
        ev.report(description="很" * (DESCRIPTION_MAX_LENGTH + 1))
    assert "description" in caught.value.message_dict
    assert not Event.objects.exists()
    assert ev.report(description="很" * DESCRIPTION_MAX_LENGTH).pk


def test_a_huge_note_is_refused(ev, client_for):
    event = ev.report()
    response = client_for(HEAD).post(
        reverse("event-accept", args=[event.pk]), {"note": "x" * 100_000}, content_type="application/json"
    )
    assert response.status_code == 400 and "note" in response.json()


def _draw(node: GridNode, west, south, east, north):
    """Give a node a rectangular boundary (test set-up only; the services validate real drawings)."""
    boundary = {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                    [west, south]]]}
    geo.parse_boundary(boundary)
    GridNode.objects.filter(pk=node.pk).update(
        boundary=boundary, min_lon=west, min_lat=south, max_lon=east, max_lat=north
    )


def test_a_point_in_another_districts_grid_is_refused(ev, client_for):
    _draw(ev.world.node("B/S1/C1/G1"), 117.20, 31.80, 117.21, 31.81)
    response = client_for(WORKER).post(
        reverse("event-list"), _api_payload(ev, "far", lon=117.205, lat=31.805), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "lon" in response.json()
    assert not Event.objects.exists()
    fine = client_for(WORKER).post(
        reverse("event-list"), _api_payload(ev, "near", lon=117.30, lat=31.90), content_type="application/json"
    )
    assert fine.status_code == 201  # no boundary says it is elsewhere


def test_a_point_outside_the_drawn_district_is_refused(ev):
    _draw(ev.world.node("A"), 117.30, 31.85, 117.40, 31.95)
    with pytest.raises(ValidationError) as caught:
        ev.report(lon=117.10, lat=31.70)
    assert "lon" in caught.value.message_dict
    assert ev.report(lon=117.35, lat=31.90).lon == 117.35


def test_references_name_their_district(ev):
    mine, foreign = ev.report(), ev.report(path="B/S1/C1/G1")
    assert mine.reference == "340102-20261125-0001"
    assert foreign.reference == "340103-20261125-0001"
    assert mine.reference != foreign.reference


def test_a_duplicate_is_found_by_its_reference_old_or_new(ev):
    from events.choices import Status, Transition

    original = ev.report()
    for typed in (original.reference, "YH" + original.reference.split("-", 1)[1]):
        event = ev.report()
        from events.forms import RejectForm

        form = RejectForm({"reason": "duplicate", "duplicate_of": typed}, event=event, actor=ev.user(HEAD))
        assert form.is_valid(), form.errors
        rejected = ev.step(event, Transition.REJECT, **form.kwargs())
        assert (rejected.status, rejected.duplicate_of_id) == (Status.REJECTED, original.pk)


def test_the_migration_prefixes_old_references(ev):
    migration = importlib.import_module("events.migrations.0013_references_per_district_and_text_limits")
    mine, foreign = ev.report(), ev.report(path="B/S1/C1/G1")
    Event.objects.filter(pk=mine.pk).update(reference="YH20261125-0001")
    Event.objects.filter(pk=foreign.pk).update(reference="YH20261125-0001")
    migration.prefix_references(apps, None)
    assert Event.objects.get(pk=mine.pk).reference == "340102-20261125-0001"
    assert Event.objects.get(pk=foreign.pk).reference == "340103-20261125-0001"
    migration.unprefix_references(apps, None)
    assert Event.objects.get(pk=mine.pk).reference == "YH20261125-0001"
