"""Signing a resident in as she would: her district, her number, the code from the (file) SMS."""

from __future__ import annotations

from django.test import Client

from residents import services
from residents.senders import last_code_in_file


def signed_in_resident(world, phone="13800001111", tenant="A", community="A/S1/C1", confirm=False):
    """A client signed in as a resident of `community` (confirmed by its head if asked), and her account."""
    client = Client()
    tenant_obj = world.tenants[tenant]
    client.post("/r/signin/", {"tenant": tenant_obj.code, "phone": phone})
    response = client.post("/r/verify/", {"code": last_code_in_file(phone)})
    assert response.status_code == 302, response.content
    account = services.ResidentAccount.objects.get(user__pk=client.session["_auth_user_id"])
    if community:
        services.choose_community(account=account, community_id=world.nodes[community].pk)
    if confirm:
        head = world.user(f"{community}:grid_head")
        services.confirm_account(actor=head, account_id=account.pk)
    account.refresh_from_db()
    return client, account
