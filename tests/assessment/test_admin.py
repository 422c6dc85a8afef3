"""The scheme in the admin: a tenant admin edits their own weights and targets (adding up to 100), never another
tenant's; month runs are read-only there."""

import pytest
from django.urls import reverse

from assessment.models import AssessmentScheme, SchemeIndicator

pytestmark = pytest.mark.django_db


def _form(scheme, **weights):
    rows = list(scheme.indicators.order_by("sort_order"))
    data = {
        "name": scheme.name,
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(len(rows)),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data[f"indicators-{n}-id"] = str(row.pk)
        data[f"indicators-{n}-scheme"] = str(scheme.pk)
        data[f"indicators-{n}-weight"] = str(weights.get(row.key, row.weight))
        data[f"indicators-{n}-target"] = "" if row.target is None else str(row.target)
        data[f"indicators-{n}-sort_order"] = str(row.sort_order)
    return data


def test_tenant_admin_edits_their_weights(world, client_for):
    client = client_for("A:admin")
    scheme = AssessmentScheme.objects.get(tenant=world.tenants["A"])
    url = reverse("admin:assessment_assessmentscheme_change", args=[scheme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(scheme, reporting_volume=30, overdue=10))
    assert response.status_code == 302
    weights = dict(scheme.indicators.values_list("key", "weight"))
    assert weights["reporting_volume"] == 30 and weights["overdue"] == 10


def test_weights_must_add_up_to_100(world, client_for):
    client = client_for("A:admin")
    scheme = AssessmentScheme.objects.get(tenant=world.tenants["A"])
    url = reverse("admin:assessment_assessmentscheme_change", args=[scheme.pk])
    response = client.post(url, _form(scheme, reporting_volume=50))
    assert response.status_code == 200  # the form again, with the error
    assert "100" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert SchemeIndicator.objects.get(scheme=scheme, key="reporting_volume").weight == 20


def test_another_tenants_scheme_is_invisible(world, client_for):
    client = client_for("A:admin")
    foreign = AssessmentScheme.objects.get(tenant=world.tenants["B"])
    changelist = client.get(reverse("admin:assessment_assessmentscheme_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == [AssessmentScheme.objects.get(tenant=world.tenants["A"])]
    page = client.get(reverse("admin:assessment_assessmentscheme_change", args=[foreign.pk]))
    assert page.status_code == 404  # as for an id nobody has (grids.admin_scope)
    response = client.post(reverse("admin:assessment_assessmentscheme_change", args=[foreign.pk]), _form(foreign))
    assert response.status_code == 404
    assert SchemeIndicator.objects.get(scheme=foreign, key="reporting_volume").weight == 20


def test_runs_are_read_only_in_the_admin(world, client_for):
    from assessment import services
    from assessment.months import current_month, previous_month

    run = services.compute_month(
        actor=world.user("A:admin"), tenant=world.tenants["A"], month=previous_month(current_month())
    )
    client = client_for("A:admin")
    assert client.get(reverse("admin:assessment_assessmentrun_changelist")).status_code == 200
    page = client.get(reverse("admin:assessment_assessmentrun_change", args=[run.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get(reverse("admin:assessment_assessmentrun_add")).status_code == 403
