"""三员分立 in the admin: the system, security and audit administrators each hold only their own area; a tenant
admin without a role and the superuser keep every area (grids.accounts.roles)."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse

from grids.accounts import roles
from grids.models import Tenant, User
from tests.two_factors import enrolled
from tests.world import make_user

pytestmark = pytest.mark.django_db

SYSTEM_PAGES = ["grids_tenant", "grids_gridnode", "events_category", "events_calendarday", "exports_exportjob"]
SECURITY_PAGES = ["grids_user", "grids_post", "grids_assignment", "otp_totp_totpdevice"]


@pytest.fixture
def role_admins(world):
    tenant = world.tenants["A"]
    common = {"is_staff": True, "is_tenant_admin": True}
    return {
        "system": make_user("a_system_admin", tenant, admin_role="system", **common),
        "security": make_user("a_security_admin", tenant, admin_role="security", **common),
    }


def _client(client, user):
    client.force_login(user)
    return client


def _changelist(client, page):
    return client.get(reverse(f"admin:{page}_changelist")).status_code


def test_every_registered_admin_is_guarded_by_the_roles():
    assert admin.site._registry
    unguarded = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, roles.RoleGuardMixin)]
    assert not unguarded


def test_the_system_administrator_holds_the_tree_not_the_accounts(role_admins, client):
    client = _client(client, role_admins["system"])
    assert {p: _changelist(client, p) for p in SYSTEM_PAGES} == dict.fromkeys(SYSTEM_PAGES, 200)
    assert {p: _changelist(client, p) for p in SECURITY_PAGES} == dict.fromkeys(SECURITY_PAGES, 403)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:grids_gridnode_changelist") in index
    assert reverse("admin:grids_user_changelist") not in index


def test_the_security_administrator_holds_the_accounts_not_the_tree(role_admins, client):
    client = _client(client, role_admins["security"])
    assert {p: _changelist(client, p) for p in SECURITY_PAGES} == dict.fromkeys(SECURITY_PAGES, 200)
    others = [p for p in SYSTEM_PAGES if p != "grids_tenant"]  # the tenant: its security policy only, below
    assert {p: _changelist(client, p) for p in others} == dict.fromkeys(others, 403)


def test_the_audit_administrator_has_no_admin_and_reads_the_trail(world, client):
    client = _client(client, world.user("A:auditor"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert client.get(reverse("audit:list")).status_code == 200
    for other in ("A:admin", "A/S1:grid_head"):
        assert _client(client, world.user(other)).get(reverse("audit:list")).status_code == 404


def test_a_tenant_admin_without_a_role_keeps_every_area(world, client_for):
    client = client_for("A:admin")
    pages = SYSTEM_PAGES + SECURITY_PAGES
    assert {p: _changelist(client, p) for p in pages} == dict.fromkeys(pages, 200)


def test_the_roles_split_every_registered_model(role_admins, world):
    """No model of the admin is held by two roles, and the audit administrator holds none."""
    for model in admin.site._registry:
        held = []
        for role, user in (*role_admins.items(), ("audit", world.user("A:auditor"))):
            if roles.may_administer(user, model, "add") or (
                roles.may_administer(user, model, "change") and model is not Tenant
            ):
                held.append(role)
        assert len(held) <= 1 and "audit" not in held, (model._meta.label, held)


def test_only_the_security_administrator_changes_the_tenants_security_policy(role_admins, world, client):
    tenant = world.tenants["A"]
    url = reverse("admin:grids_tenant_change", args=[tenant.pk])
    form = {"name": "改名区", "is_active": "on", "password_max_age_days": 90, "officers_need_two_factors": "on"}

    _client(client, role_admins["system"]).post(url, form)
    tenant.refresh_from_db()
    assert tenant.name == "改名区"  # the system administrator's field
    assert (tenant.password_max_age_days, tenant.officers_need_two_factors) == (0, False)

    _client(client, role_admins["security"]).post(url, {**form, "name": "再改名区"})
    tenant.refresh_from_db()
    assert tenant.name == "改名区"  # not the security administrator's
    assert (tenant.password_max_age_days, tenant.officers_need_two_factors) == (90, True)


def test_no_administrator_but_the_operator_grants_a_role(role_admins, world, client):
    security = role_admins["security"]
    client = _client(client, security)
    page = client.get(reverse("admin:grids_user_change", args=[security.pk]))
    fields = page.context["adminform"].form.fields
    assert not {"admin_role", "is_staff", "is_tenant_admin", "is_superuser"} & set(fields)
    legacy = _client(client, world.user("A:admin")).get(reverse("admin:grids_user_change", args=[security.pk]))
    assert "admin_role" not in legacy.context["adminform"].form.fields


def test_a_security_administrator_resets_a_second_factor_of_their_tenant_only(role_admins, world, client):
    mine, foreign = world.user("A/S1:grid_head"), world.user("B:admin")
    mine_device, foreign_device = enrolled(mine), enrolled(foreign)
    client = _client(client, role_admins["security"])
    listed = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert mine.username in listed and foreign.username not in listed
    response = client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {"action": "reset_two_factors", "_selected_action": [mine_device.pk, foreign_device.pk]},
    )
    assert response.status_code == 302
    assert not type(mine_device).objects.filter(user=mine).exists()
    assert type(foreign_device).objects.filter(user=foreign).exists()  # another tenant's: untouched
    system = _client(client, role_admins["system"])
    assert system.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403


def test_a_superuser_holds_no_separate_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="root2", is_superuser=True, is_staff=True, admin_role="security")


def test_the_audit_area_is_no_tenant_admins_in_the_admin(role_admins, world):
    """Should the audit trail ever be registered in the admin, only the platform operator would see it there."""
    from audit.models import Entry

    for user in (*role_admins.values(), world.user("A:admin"), world.user("A:auditor")):
        assert not roles.may_administer(user, Entry)
    assert roles.may_administer(User(is_superuser=True, is_active=True), Entry)
