"""The HTML pages: report with photos (checked, re-encoded), queue, list with a query budget, detail and steps."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from events.models import Event, EventPhoto

from .conftest import GRID, HEAD, WORKER
from .images import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report_data(ev, **extra):
    category = ev.category()
    data = {
        "idempotency_key": "form-key-1",
        "grid": ev.world.nodes[GRID].pk,
        "main_category": category.parent_id,
        "category": category.pk,
        "title": "小区门口暴露垃圾",
        "description": "垃圾桶满溢",
        "urgency": 1,
        "source": "grid_worker",
        "photos": [SimpleUploadedFile("p.jpg", jpeg_bytes(exif=True), content_type="image/jpeg")],
    }
    data.update(extra)
    return data


def test_grid_worker_files_an_event_with_a_photo(ev, client_for):
    client = client_for(WORKER)
    page = client.get(reverse("events:report"))
    assert page.status_code == 200 and "暴露垃圾" in page.content.decode()
    response = client.post(reverse("events:report"), report_data(ev))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert response["Location"].startswith(reverse("events:detail", args=[event.pk]))
    photo = EventPhoto.objects.get(event=event)
    with Image.open(photo.image.path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # re-encoded: camera and GPS metadata are gone
    # The double submit of the same form files nothing more.
    again = client.post(reverse("events:report"), report_data(ev))
    assert again.status_code == 302 and Event.objects.count() == 1
    detail = client.get(reverse("events:detail", args=[event.pk]))
    assert detail.status_code == 200 and event.reference in detail.content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"this is not an image", content_type="image/jpeg"),
        SimpleUploadedFile("x.pdf", b"%PDF-1.4 fake", content_type="application/pdf"),
        SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (8 * 1024 * 1024 + 10), content_type="image/jpeg"),
        SimpleUploadedFile("x.tiff", jpeg_bytes(fmt="TIFF"), content_type="image/tiff"),
    ],
    ids=["text", "pdf", "oversize", "tiff"],
)
def test_upload_refuses_non_images_and_oversize(ev, client_for, upload):
    response = client_for(WORKER).post(reverse("events:report"), report_data(ev, photos=[upload]))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_upload_refuses_more_than_six_photos(ev, client_for):
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(7)]
    response = client_for(WORKER).post(reverse("events:report"), report_data(ev, photos=photos))
    assert response.status_code == 400 and not Event.objects.exists()


def test_detail_is_404_outside_the_subtree(ev, client_for):
    event = ev.event_in("reported")
    assert client_for(HEAD).get(reverse("events:detail", args=[event.pk])).status_code == 200
    for outsider in ("A/S1/C2:grid_head", "B/S1/C1:grid_head", "A/S1/C1/G2:grid_worker", "B:admin"):
        assert client_for(outsider).get(reverse("events:detail", args=[event.pk])).status_code == 404
        url = reverse("events:transition", args=[event.pk, "accept"])
        assert client_for(outsider).post(url).status_code == 404
    assert Event.objects.get(pk=event.pk).status == "reported"


def test_steps_through_the_pages(ev, client_for):
    event = ev.event_in("reported")
    head = client_for(HEAD)
    page = head.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="step-accept"' in page and 'data-testid="step-sign"' not in page
    refused = head.post(reverse("events:transition", args=[event.pk, "sign"]))
    assert refused.status_code == 409 and 'data-testid="step-error"' in refused.content.decode()
    worker = client_for(WORKER)
    assert worker.post(reverse("events:transition", args=[event.pk, "accept"])).status_code == 403
    assert head.post(reverse("events:transition", args=[event.pk, "accept"])).status_code == 302
    bad = head.post(reverse("events:transition", args=[event.pk, "dispatch"]), {})
    assert bad.status_code == 400
    done = head.post(reverse("events:transition", args=[event.pk, "dispatch"]), {"dispatch-unit": ev.unit.pk})
    assert done.status_code == 302
    assert Event.objects.get(pk=event.pk).status == "dispatched"
    assert head.post(reverse("events:transition", args=[event.pk, "nonsense"])).status_code == 404


def test_work_queue_orders_by_deadline_and_colours(ev, client_for):
    later, sooner, overdue = ev.event_in("reported"), ev.event_in("reported"), ev.event_in("reported")
    base = later.due_at
    Event.objects.filter(pk=later.pk).update(due_at=base + dt.timedelta(hours=5))
    Event.objects.filter(pk=sooner.pk).update(due_at=base + dt.timedelta(hours=1), is_near_deadline=True)
    Event.objects.filter(pk=overdue.pk).update(due_at=base - dt.timedelta(hours=1), is_overdue=True)
    body = client_for(HEAD).get(reverse("events:todo")).content.decode()
    positions = [body.index(e.reference) for e in (overdue, sooner, later)]
    assert positions == sorted(positions)
    assert "list-group-item-danger" in body and "list-group-item-warning" in body
    # The grid worker has nothing to accept; the unit member has nothing until dispatched.
    assert later.reference not in client_for(WORKER).get(reverse("events:todo")).content.decode()


def _bulk_events(ev, n):
    template = ev.event_in("reported")
    rows = []
    for i in range(n):
        template.pk = None
        template.reference = f"YHBULK-{Event.objects.count() + i:05d}"
        template.idempotency_key = None
        rows.append(Event(**{f.attname: getattr(template, f.attname) for f in Event._meta.concrete_fields}))
    Event.objects.bulk_create(rows)


def test_list_query_count_does_not_grow(ev, client_for, django_assert_max_num_queries):
    client = client_for(HEAD)
    _bulk_events(ev, 10)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse("events:list")).status_code == 200
    _bulk_events(ev, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("events:list"))
    assert response.content.decode().count('data-testid="event-row"') == 50
    assert 'data-testid="next-page"' in response.content.decode()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("events:todo")).status_code == 200


def test_keyset_pages_and_filters(ev, client_for):
    _bulk_events(ev, 60)
    sibling = ev.report(path="A/S1/C2/G1")
    client = client_for("A:admin")
    first = client.get(reverse("events:list"), {"status": "reported"})
    seen = first.context["events"]
    assert len(seen) == 50
    assert "status=reported" in first.context["next_url"]
    second = client.get(reverse("events:list") + first.context["next_url"])
    more = second.context["events"]
    assert more and not {e.pk for e in seen} & {e.pk for e in more}
    assert all((e.created_at, e.pk) < (seen[-1].created_at, seen[-1].pk) for e in more)
    narrowed = client.get(reverse("events:list"), {"node": ev.world.nodes["A/S1/C2"].pk}).context["events"]
    assert [e.pk for e in narrowed] == [sibling.pk]
    assert client.get(reverse("events:list"), {"overdue": "on"}).context["events"] == []


def test_export_is_the_filtered_list(ev, client_for):
    mine = ev.event_in("reported")
    sibling = ev.report(path="A/S1/C2/G1")
    response = client_for(HEAD).get(reverse("events:export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    refs = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert refs == [mine.reference]
    assert sibling.reference not in refs


def test_notifications_bell(ev, client_for):
    ev.event_in("dispatched")
    client = client_for("unit")
    page = client.get(reverse("events:notifications")).content.decode()
    assert 'data-testid="unread-count"' in page
    client.post(reverse("events:notifications-read"))
    assert 'data-testid="unread-count"' not in client.get(reverse("events:notifications")).content.decode()


def test_handled_on_the_spot_through_the_form(ev, client_for):
    before = SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg")
    after = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    client = client_for(WORKER)
    missing = client.post(reverse("events:report"), report_data(ev, handled_on_spot="on", idempotency_key="k2"))
    assert missing.status_code == 400 and not Event.objects.exists()
    data = report_data(ev, handled_on_spot="on", photos=[before], after_photos=[after], idempotency_key="k3")
    assert client.post(reverse("events:report"), data).status_code == 302
    event = Event.objects.get()
    assert event.status == "closed" and event.handled_on_spot
    assert sorted(event.photos.values_list("kind", flat=True)) == ["after", "before"]


def test_resident_contact_shows_only_to_those_who_need_it(ev, client_for):
    event = ev.report(source="hotline", resident_name="王女士", resident_phone="13800000000")
    assert "138****0000" in client_for(HEAD).get(reverse("events:detail", args=[event.pk])).content.decode()
    police = client_for("A/S1/C1/G1:police").get(reverse("events:detail", args=[event.pk]))
    assert police.status_code == 200 and "138****0000" not in police.content.decode()


def test_grid_staff_units_events_wait_in_the_queue_of_those_who_handle_there(ev, client_for):
    from events.models import HandlingUnit

    staff = HandlingUnit.objects.create(tenant=ev.world.tenants["A"], name="网格力量", kind="grid_staff")
    event = ev.event_in("accepted")
    ev.step(event, "dispatch", unit=staff.pk)
    police = "A/S1/C1/G1:police"  # holds `handle` on the event's grid
    queue = client_for(police).get(reverse("events:todo")).content.decode()
    assert event.title in queue
    sibling_police = "A/S1/C2/G1:police"
    assert event.title not in client_for(sibling_police).get(reverse("events:todo")).content.decode()
