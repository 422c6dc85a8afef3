"""The pages: 我的考核 shows a grid worker only their own published score; officers see their subtree (404
outside, another tenant never); compute / publish / recompute with a reason; bad input; the A4 sheet; the .xlsx;
query counts that do not grow with the data."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services
from assessment.choices import RunStatus
from assessment.models import AssessmentRun, Score
from assessment.months import current_month

from .conftest import DISTRICT_HEAD, HEAD, NOW, OCTOBER, W1, W2

pytestmark = pytest.mark.django_db


def compute(world, tenant="A"):
    return services.compute_month(
        actor=world.user(f"{tenant}:admin"), tenant=world.tenants[tenant], month=OCTOBER, now=NOW
    )


def publish(world, run, tenant="A"):
    return services.publish_month(
        actor=world.user(f"{tenant}:admin"), tenant=world.tenants[tenant], month=run.month, version=run.version
    )


def node_url(world, path, name="assessment:node", **query):
    from django.utils.http import urlencode

    url = reverse(name, args=[world.nodes[path].pk])
    return f"{url}?{urlencode(query)}" if query else url


# --- 我的考核 ---------------------------------------------------------------------------------------------


def test_grid_worker_sees_only_their_own_published_score(month, world, client_for):
    client = client_for(W1)
    run = compute(world)
    draft = client.get(reverse("assessment:me"))
    assert draft.status_code == 200
    assert "60.76" not in draft.content.decode()  # a draft is not shown to grid workers
    publish(world, run)
    page = client.get(reverse("assessment:me"))
    body = page.content.decode()
    assert page.context["mine"].rows[0].total == run.scores.get(user=world.users[W1]).total
    assert "60.76" in body  # their total
    assert "81.00" not in body  # W2's score is not theirs to see
    rows = page.context["mine"].rows
    assert [(r.rank_in_community, r.of_community, r.rank_in_street, r.of_street) for r in rows] == [(2, 2, 2, 4)]
    assert "30.00" in body and "66.67" in body and "80.00" in body and "57.14" in body  # the breakdown
    assert "按期结案率" in body or "On-time closure rate" in body  # each indicator's definition


def test_grid_worker_has_no_officer_pages(month, world, client_for):
    compute(world)
    client = client_for(W1)
    assert client.get(node_url(world, "A/S1/C1/G1")).status_code == 404
    assert client.get(node_url(world, "A/S1/C1/G1", "assessment:export")).status_code == 404
    assert client.post(node_url(world, "A/S1/C1/G1", "assessment:compute"), {"month": "2026-10"}).status_code == 404


def test_my_page_with_a_malformed_month_says_so(world, client_for):
    page = client_for(W1).get(reverse("assessment:me"), {"month": "2026-13"})
    assert page.status_code == 400
    assert page.context["error"]


# --- officers ------------------------------------------------------------------------------------------------


def test_community_head_sees_their_community_only(month, world, client_for):
    compute(world)
    compute(world, tenant="B")
    client = client_for(HEAD)
    page = client.get(node_url(world, "A/S1/C1"))
    assert page.status_code == 200
    board = page.context["board"]
    assert [r.user.pk for r in board.workers] == [world.users[W2].pk, world.users[W1].pk]  # by score
    assert [r.node.pk for r in board.children] == [world.nodes["A/S1/C1/G2"].pk, world.nodes["A/S1/C1/G1"].pk]
    assert board.own.node.pk == world.nodes["A/S1/C1"].pk
    assert not page.context["may_compute"] and not page.context["may_publish"]
    for outside in ("A/S1/C2", "A/S1", "A", "B/S1/C1"):
        assert client.get(node_url(world, outside)).status_code == 404, outside


def test_district_page_ranks_streets_and_every_worker(month, world, client_for):
    compute(world)
    page = client_for(DISTRICT_HEAD).get(node_url(world, "A"))
    board = page.context["board"]
    assert [r.node.name for r in board.children] == ["甲区街道1", "甲区街道2"]
    assert len(board.workers) == 8
    assert all(r.tenant_id == world.tenants["A"].pk for r in board.workers)
    assert page.context["may_compute"] and page.context["may_publish"]


def test_compute_publish_and_recompute_with_a_reason_from_the_page(
    month, world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(DISTRICT_HEAD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(node_url(world, "A", "assessment:compute"), {"month": "2026-10"})
    assert response.status_code == 302
    run = AssessmentRun.objects.get(tenant=world.tenants["A"], month=OCTOBER)
    assert (run.version, run.status, run.computed_by) == (1, RunStatus.DRAFT, world.user(DISTRICT_HEAD))
    response = client.post(node_url(world, "A", "assessment:publish"), {"month": "2026-10", "version": "1"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_by == world.user(DISTRICT_HEAD)

    # Recomputing a published month without a reason: refused, nothing changes.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = client.post(node_url(world, "A", "assessment:compute"), {"month": "2026-10", "reason": "  "})
    assert refused.status_code == 409 and not callbacks
    assert "reason" in refused.context["error"] or "原因" in refused.context["error"]
    assert AssessmentRun.objects.filter(tenant=world.tenants["A"]).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(node_url(world, "A", "assessment:compute"), {"month": "2026-10", "reason": "补录事件后重算"})
    second = AssessmentRun.objects.get(tenant=world.tenants["A"], month=OCTOBER, version=2)
    assert second.reason == "补录事件后重算" and second.status == RunStatus.DRAFT
    # Both versions stay readable; the page shows the newest unless asked.
    assert client.get(node_url(world, "A")).context["run"] == second
    assert client.get(node_url(world, "A", month="2026-10", version="1")).context["run"] == run
    # Publishing a published version again is refused.
    again = client.post(node_url(world, "A", "assessment:publish"), {"month": "2026-10", "version": "1"})
    assert again.status_code == 409


def test_street_head_computes_but_cannot_publish(month, world, client_for, django_capture_on_commit_callbacks):
    client = client_for("A/S1:grid_head")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(node_url(world, "A/S1", "assessment:compute"), {"month": "2026-10"}).status_code == 302
    assert AssessmentRun.objects.filter(tenant=world.tenants["A"]).count() == 1
    refused = client.post(node_url(world, "A/S1", "assessment:publish"), {"month": "2026-10", "version": "1"})
    assert refused.status_code == 403
    assert AssessmentRun.objects.get(tenant=world.tenants["A"]).status == RunStatus.DRAFT


def _months_ahead(months: int) -> str:
    """'YYYY-MM' of the month `months` after the wall clock's current one (computed, never written down)."""
    first = current_month()
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@pytest.mark.parametrize(
    "month_, message",
    [
        (0, None),  # the current month (by the wall clock the view reads) has not ended
        (4, None),  # a month still to come
        ("2026-13", "YYYY-MM"),
        ("last month", "YYYY-MM"),
        ("", ""),
    ],
)
def test_bad_months_are_refused_with_a_message_and_change_nothing(
    month, world, client_for, django_capture_on_commit_callbacks, month_, message
):
    from django.utils import translation

    if isinstance(month_, int):
        month_ = message = _months_ahead(month_)
    client = client_for(DISTRICT_HEAD)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            node_url(world, "A", "assessment:compute"), {"month": month_}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert not callbacks
    body = response.content.decode()
    assert message in body
    assert not AssessmentRun.objects.exists() and not Score.objects.exists()


def test_bad_query_strings_are_a_clear_400(month, world, client_for):
    client = client_for(DISTRICT_HEAD)
    assert client.get(node_url(world, "A", month="2026-1x")).status_code == 400
    assert client.get(node_url(world, "A", month="2026-10", version="zero")).status_code == 400
    assert client.get(node_url(world, "A", "assessment:export", month="2026-10")).status_code == 400  # not scored


def test_bad_messages_are_in_chinese_by_default(world, client_for):
    response = client_for(DISTRICT_HEAD).post(node_url(world, "A", "assessment:compute"), {"month": "2099-01"})
    assert response.status_code == 400
    assert "尚未结束" in response.content.decode()


# --- the sheet and the .xlsx ------------------------------------------------------------------------------


def test_a4_sheet(month, world, client_for):
    compute(world)
    page = client_for(HEAD).get(node_url(world, "A/S1/C1", "assessment:sheet"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "size: A4" in body and "@media print" in body
    assert "60.76" in body and "81.00" in body
    assert "甲区街道1社区2" not in body  # the sibling community's name appears nowhere


def test_xlsx_sheet(month, world, client_for):
    run = compute(world)
    response = client_for(HEAD).get(node_url(world, "A/S1/C1", "assessment:export", month="2026-10"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["网格员", "节点"]
    ws = wb["网格员"]
    assert ws["A1"].value.startswith("甲区街道1社区1 2026-10") and "第1版" in ws["A1"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A2:A3" in merged  # 序号 over both header rows
    assert ws["A2"].value == "序号" and ws["B2"].value == "网格员"
    assert ws["F2"].value in ("上报量", "Reporting volume") and "F2:G2" in merged
    assert (ws["F3"].value, ws["G3"].value) == ("数值", "得分")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == [1, 2]
    w2, w1 = rows
    assert w1[1] == str(world.user(W1)) and w1[2] == "网格1"
    assert w1[5:7] == ["6/20", 30.0]
    total = 5 + 2 * len(run.scheme)
    assert w1[total] == 60.76 and w1[total + 1:total + 4] == [2, 2, 2]
    assert w2[total] == 81.0
    nodes = [[c.value for c in row] for row in wb["节点"].iter_rows(min_row=4)]
    assert [n[1] for n in nodes] == ["甲区街道1社区1", "网格2", "网格1"]


# --- query counts -------------------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _more_data(month, world):
    """Twelve more events in three grids and a second grid worker on G1."""
    from grids import services as grid_services
    from tests.world import make_user

    for n in range(4):
        for path in ("A/S1/C1/G1", "A/S1/C2/G2", "A/S2/C1/G1"):
            month.report(f"x{n}{path}", path)
    extra = make_user("assess_extra_worker", world.tenants["A"])
    grid_services.assign(
        user=extra, post=world.posts["A"]["grid_worker"], node=world.nodes["A/S1/C1/G1"], start_date=OCTOBER
    )


def test_query_counts_do_not_grow_with_the_data(month, world, client_for):
    client = client_for(DISTRICT_HEAD)
    admin = world.user("A:admin")

    def computing():
        services.compute_month(actor=admin, tenant=world.tenants["A"], month=OCTOBER, now=NOW)

    computing()  # the draft exists: each measure below recomputes it (delete the rows, insert them ranked)
    # A client's first request may write its session (yaohai.core.sessions: at most once a minute): warm each
    # client once, so both measures below see the same session work.
    client.get(node_url(world, "A"))
    worker = client_for(W1)
    worker.get(reverse("assessment:me"))
    small_compute = _queries(computing)
    small_page = _queries(lambda: client.get(node_url(world, "A")))
    small_export = _queries(lambda: client.get(node_url(world, "A", "assessment:export")))
    small_me = _queries(lambda: worker.get(reverse("assessment:me")))
    _more_data(month, world)
    assert _queries(computing) == small_compute
    assert _queries(lambda: client.get(node_url(world, "A"))) == small_page
    assert _queries(lambda: client.get(node_url(world, "A", "assessment:export"))) == small_export
    assert _queries(lambda: worker.get(reverse("assessment:me"))) == small_me
    assert Score.objects.filter(user__username="assess_extra_worker").exists()


# --- paging, names, and a month with nothing measured ----------------------------------------------------------


def test_district_page_pages_its_workers_and_the_sheets_hold_them_all(month, world, client_for, monkeypatch):
    from assessment import selectors

    monkeypatch.setattr(selectors, "WORKERS_PER_PAGE", 2)
    compute(world)
    client = client_for(DISTRICT_HEAD)
    first = client.get(node_url(world, "A"))
    workers = first.context["board"].page.paginator.count
    assert workers > 2 and len(first.context["board"].workers) == 2
    body = first.content.decode()
    assert 'data-testid="worker-pages"' in body and "page=2" in body
    second = client.get(node_url(world, "A", page=2, month="2026-10"))
    board = second.context["board"]
    assert board.offset == 2 and board.page.number == 2
    assert "<td>3</td>" in second.content.decode()  # numbered on from the first page
    # Nonsense or too large page numbers answer a page, never an error.
    assert client.get(node_url(world, "A", page="x")).context["board"].page.number == 1
    assert client.get(node_url(world, "A", page=999)).context["board"].page.number == board.page.paginator.num_pages
    # The A4 sheet and the .xlsx hold every worker.
    sheet = client.get(node_url(world, "A", "assessment:sheet"))
    assert len(sheet.context["board"].workers) == workers
    wb = load_workbook(BytesIO(client.get(node_url(world, "A", "assessment:export")).content))
    assert wb["网格员"].max_row - 3 == workers


def test_a_month_with_nothing_measured_says_so_instead_of_a_rank(month, world, client_for):
    publish(world, compute(world))
    idle = "A/S1/C2/G1:grid_worker"  # a grid with no event in October
    page = client_for(idle).get(reverse("assessment:me"))
    body = page.content.decode()
    assert not page.context["mine"].rows[0].scored
    assert 'data-testid="nothing-scored"' in body and 'data-testid="rank-community"' not in body
    mine = client_for(W1).get(reverse("assessment:me"))
    assert mine.context["mine"].rows[0].scored and 'data-testid="nothing-scored"' not in mine.content.decode()
    # On the officers' ranking the idle rows say so too, the scored ones show their total.
    district = client_for(DISTRICT_HEAD).get(node_url(world, "A")).content.decode()
    assert "60.76" in district and 'data-testid="nothing-scored"' in district
