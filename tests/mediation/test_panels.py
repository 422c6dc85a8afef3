"""The dashboard panel of every node and the assessment's indicators."""

import datetime as dt

from mediation import panels, services
from mediation.models import Case

from .conftest import HEAD, NOW


def concluded(med, agreed: bool):
    case = med.register()
    head = med.user(HEAD)
    services.accept(actor=head, case=case.pk, now=NOW)
    services.assign(actor=head, case=case.pk, mediator=med.inside, now=NOW)
    services.begin(actor=head, case=case.pk, now=NOW)
    if agreed:
        services.agree(actor=head, case=case.pk, terms="赔偿", perform_by=dt.date(2026, 12, 10), now=NOW)
    else:
        services.terminate(actor=head, case=case.pk, reason="分歧过大", now=NOW)
    return case


def test_the_figures_count_success_on_time_and_high_risk(med):
    for agreed in (True, True, True, False):
        concluded(med, agreed)
    med.register(risk="high")
    data = panels.figures(Case.objects.all())
    assert (data["cases"], data["agreed"], data["concluded"]) == (5, 3, 4)
    assert data["success_rate"] == 75.0 and data["on_time_rate"] == 100.0


def test_the_street_officer_sees_the_success_rate_on_the_dashboard(med, client):
    for agreed in (True, False):
        concluded(med, agreed)
    med.register(risk="high")
    street = med.world.nodes["A/S1"]
    client.force_login(med.user("A/S1:grid_head"))
    page = client.get(f"/dashboards/{street.pk}/", {"range": "year"})
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert 'data-testid="panel-mediation-summary"' in html
    assert 'data-testid="success-rate">50.0%' in html
    # the sibling street sees none of it
    client.force_login(med.user("A/S2:grid_head"))
    other = client.get(f"/dashboards/{med.world.nodes['A/S2'].pk}/").content.decode()
    assert 'data-testid="high-risk">0' in other


def test_the_month_counts_per_grid_feed_the_indicators(med):
    for agreed in (True, False):
        concluded(med, agreed)
    case = Case.objects.first()
    counts = panels.case_counts(case.tenant_id, case.created_at.date(), NOW)
    grid = med.world.nodes["A/S1/C1/G1"].pk
    assert counts.by_grid[grid] == {"mediation_concluded": 2, "mediation_agreed": 1, "mediation_on_time": 2}
