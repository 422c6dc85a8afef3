"""The restore drill: back up a database with data and media, restore it into a fresh database, and prove the
restore reproduces the backup (row counts, sampled rows, invariants); a damaged backup or a used target is refused."""

import datetime as dt
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from events import services
from events.catalogue import install_event_catalogue
from events.models import Category, Event
from yaohai.core import backup

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def filed(world, settings, tmp_path):
    """The world with three events filed through the services, and a media file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "events").mkdir(parents=True)
    (tmp_path / "media" / "events" / "photo.jpg").write_bytes(b"\xff\xd8 not really a photo")
    tenant = world.tenants["A"]
    install_event_catalogue(tenant)
    category = Category.objects.filter(tenant=tenant, parent__isnull=False).first()
    worker = world.user("A/S1/C1/G1:grid_worker")
    for n in range(3):
        services.report_event(
            actor=worker, node=world.nodes["A/S1/C1/G1"], now=NOW, title=f"楼道堆放垃圾 {n}", category=category
        )
    return world


@pytest.fixture
def fresh_database():
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the drill restores a pg_dump: PostgreSQL only")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    url = backup.with_database_name(backup.database_url(), name)
    admin = backup.with_database_name(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows(filed, fresh_database, tmp_path):
    backup.register_invariant("events.count_by_status", _events_by_status)
    try:
        call_command("backup", str(tmp_path / "b1"))
        manifest = backup.read_manifest(tmp_path / "b1")
        assert manifest["tables"]["events.Event"]["rows"] == 3
        assert manifest["invariants"]["events.count_by_status"] == {"reported": 3}
        call_command(
            "restore", str(tmp_path / "b1"), database_url=fresh_database, media_root=str(tmp_path / "restored")
        )
    finally:
        backup._INVARIANTS.pop("events.count_by_status")
    assert (tmp_path / "restored" / "events" / "photo.jpg").read_bytes() == b"\xff\xd8 not really a photo"
    with psycopg.connect(fresh_database) as conn:
        titles = sorted(r[0] for r in conn.execute("SELECT title FROM events_event"))
    assert titles == sorted(Event.objects.values_list("title", flat=True))

    # The same target again: it now holds tables, so the restore is refused and changes nothing.
    with pytest.raises(CommandError, match="fresh"):
        call_command("restore", str(tmp_path / "b1"), database_url=fresh_database)


def _events_by_status(alias):
    from django.db.models import Count

    rows = Event.objects.using(alias).values("status").annotate(n=Count("id")).order_by("status")
    return {row["status"]: row["n"] for row in rows}


@pytest.mark.django_db(transaction=True)
def test_the_restore_reports_what_differs(filed, tmp_path):
    """A restore compares with the manifest: a count or a sampled row that differs is named."""
    result = backup.backup(tmp_path / "b2")
    assert backup.compare(result.manifest, backup.snapshot()) == []
    Category.objects.create(tenant=filed.tenants["B"], name="多出来的类别")
    Event.objects.filter(pk=Event.objects.order_by("pk").first().pk).update(title="改过的标题")
    differences = backup.compare(result.manifest, backup.snapshot())
    categories = result.manifest["tables"]["events.Category"]["rows"]
    assert f"events.Category: {categories + 1} rows restored, {categories} backed up" in differences
    assert "events.Event: the sampled rows differ" in differences


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(filed, tmp_path):
    backup.backup(tmp_path / "b3")
    media = Path(tmp_path / "b3" / backup.MEDIA_ARCHIVE)
    media.write_bytes(media.read_bytes() + b"tampered")
    target = tmp_path / "target.sqlite3"
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "b3"), database_url=f"sqlite:///{target}")
    assert not target.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_needs_a_new_folder(filed, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "used"))


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_new_file(filed, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path of the drill")
    backup.backup(tmp_path / "b4")
    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(tmp_path / "b4"), database_url=f"sqlite:///{target}")
    import sqlite3

    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM events_event").fetchone()[0] == 3
