"""The registry's admin is scoped to the tenant and shows personal data masked only."""

from django.urls import reverse

from tests.registry.factories import make_id, resident


def test_admin_lists_the_tenants_residents_masked(world, client_for):
    number = make_id()
    mine = resident(world.node("A/S1/C1/G1"), name="本区居民", id_number=number)
    theirs = resident(world.node("B/S1/C1/G1"), name="他区居民")
    client = client_for("A:admin")
    listed = client.get(reverse("admin:registry_resident_changelist")).content.decode()
    assert "本区居民" in listed and "他区居民" not in listed
    page = client.get(reverse("admin:registry_resident_change", args=[mine.pk])).content.decode()
    assert mine.id_number_masked in page and number not in page and mine.id_number_encrypted not in page
    assert client.get(reverse("admin:registry_resident_change", args=[theirs.pk])).status_code == 404
    for name in ("accessrecord", "household", "building", "carelist", "thing", "organisation"):
        assert client.get(reverse(f"admin:registry_{name}_changelist")).status_code == 200


def test_registry_records_are_read_only_in_the_admin(world, client_for):
    """Records change through the services only: a tenant admin may not add, change or delete one in the admin."""
    mine = resident(world.node("A/S1/C1/G1"), name="本区居民")
    client = client_for("A:admin")
    assert client.get(reverse("admin:registry_resident_add")).status_code == 403
    before = mine.name
    response = client.post(reverse("admin:registry_resident_change", args=[mine.pk]), {"name": "改名"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.name == before
    assert client.get(reverse("admin:registry_resident_delete", args=[mine.pk])).status_code == 403
