"""Backups with checksums and a verified restore into a fresh database (the restore drill).

A backup is a folder holding the database (`pg_dump -Fc` on PostgreSQL, SQLite's online backup on SQLite), the
media files as a tar archive, and `manifest.json`: each file's SHA-256 and size, every model's row count, a
digest of a sample of each table's rows, and the values of the invariants that apps register (for example the
sum of the points ledger). `restore` checks the checksums before it touches anything, refuses a database that
already holds tables, restores, and then recomputes counts, samples and invariants on the restored database and
compares them with the manifest: a restore that does not reproduce the backup fails loudly.

The module imports no app: models are read through the app registry, and invariants are registered by the apps
that own them (`register_invariant`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
DATABASE_SQLITE = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar"
SAMPLE_ROWS = 50
FORMAT = 1

# name -> function(alias) returning a JSON-serialisable value that a faithful restore reproduces.
_INVARIANTS: dict[str, Callable[[str], object]] = {}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def register_invariant(name: str, compute: Callable[[str], object]) -> None:
    """Let an app add a value the restore must reproduce, e.g. the points ledger's total per account."""
    _INVARIANTS[name] = compute


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _concrete_models():
    """Every model with a table of its own (proxies and unmanaged models share or lack one)."""
    return sorted(
        (m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.db_table,
    )


def _sample_digest(model, alias: str) -> str:
    """SHA-256 over the first and the last rows by primary key, every concrete column as text."""
    columns = [f.attname for f in model._meta.concrete_fields]
    manager = model._base_manager.using(alias)
    first = list(manager.order_by("pk").values_list(*columns)[:SAMPLE_ROWS])
    last = list(manager.order_by("-pk").values_list(*columns)[:SAMPLE_ROWS])
    digest = hashlib.sha256()
    for row in first + last:
        digest.update(json.dumps([_plain(v) for v in row], ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, memoryview | bytes):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def snapshot(alias: str = "default") -> dict:
    """Row counts, sample digests and invariants of one database, as the manifest records them."""
    tables = {}
    for model in _concrete_models():
        label = model._meta.label
        tables[label] = {
            "table": model._meta.db_table,
            "rows": model._base_manager.using(alias).count(),
            "sample": _sample_digest(model, alias),
        }
    invariants = {name: compute(alias) for name, compute in sorted(_INVARIANTS.items())}
    return {"tables": tables, "invariants": invariants}


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@dataclass
class BackupResult:
    folder: Path
    manifest: dict


def backup(folder: Path, alias: str = "default") -> BackupResult:
    """Write the database, the media and a manifest with checksums into `folder` (created; must be new)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        database_file = folder / DATABASE_DUMP
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(database_file), db["NAME"]],
            env=_pg_env(db), capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        database_file = folder / DATABASE_SQLITE
        connection.ensure_connection()
        target = sqlite3.connect(database_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:  # pragma: no cover - the platform runs on PostgreSQL or SQLite only
        raise BackupError(f"no backup for the {connection.vendor} engine")
    # The snapshot is taken after the dump: on a busy database the manifest may count rows the dump lacks, which the
    # restore reports. Stop the writers (or back up a replica) for a drill that must match exactly.
    state = snapshot(alias)
    media_file = folder / MEDIA_ARCHIVE
    with tarfile.open(media_file, "w") as archive:
        root = _media_root()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)))
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "engine": connection.vendor,
        "files": {
            p.name: {"sha256": sha256(p), "bytes": p.stat().st_size} for p in (database_file, media_file)
        },
        **state,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return BackupResult(folder, manifest)


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking every file it names against its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder / MANIFEST}: not a readable manifest ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def database_settings(url: str) -> dict:
    """A DATABASES entry for a URL, with the same options the default database gets."""
    import environ

    db = environ.Env.db_url_config(url)
    db.update({"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False})
    return db


@dataclass
class RestoreResult:
    differences: list[str]
    tables: int
    rows: int


def restore(folder: Path, target_url: str, media_root: Path | None = None) -> RestoreResult:
    """Restore a backup into an empty database (and media folder), then compare it with the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    db = database_settings(target_url)
    # The target is a connection of its own, registered for this thread only (not in DATABASES), so the models can
    # be counted on it with .using(alias) and nothing else can route to it.
    alias = "backup_restore_target"
    db = connections.configure_settings({"default": db})["default"]  # Django's defaults for the missing keys
    connections[alias] = load_backend(db["ENGINE"]).DatabaseWrapper(db, alias)
    try:
        target = connections[alias]
        if target.vendor != manifest["engine"]:
            raise BackupError(f"the backup is of {manifest['engine']}, the target is {target.vendor}")
        if target.vendor == "postgresql":
            with target.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                if cursor.fetchone()[0]:
                    raise BackupError("the target database already holds tables; restore into a fresh one")
            target.close()
            result = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", db["NAME"],
                 str(folder / DATABASE_DUMP)],
                env=_pg_env(db), capture_output=True, text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            path = Path(db["NAME"])
            if path.exists() and path.stat().st_size:
                raise BackupError(f"{path} exists; restore into a new file")
            shutil.copyfile(folder / DATABASE_SQLITE, path)
        _restore_media(folder / MEDIA_ARCHIVE, Path(media_root) if media_root else None)
        state = snapshot(alias)
    finally:
        connections[alias].close()
        del connections[alias]
    differences = compare(manifest, state)
    return RestoreResult(
        differences=differences,
        tables=len(state["tables"]),
        rows=sum(t["rows"] for t in state["tables"].values()),
    )


def _restore_media(archive_path: Path, media_root: Path | None) -> None:
    if media_root is None:
        return
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path) as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no '..', no devices


def compare(manifest: dict, state: dict) -> list[str]:
    """What the restored database does not reproduce, one line each (empty: a faithful restore)."""
    differences = []
    for label, expected in manifest["tables"].items():
        got = state["tables"].get(label)
        if got is None:
            differences.append(f"{label}: missing from the restored database")
            continue
        if got["rows"] != expected["rows"]:
            differences.append(f"{label}: {got['rows']} rows restored, {expected['rows']} backed up")
        elif got["sample"] != expected["sample"]:
            differences.append(f"{label}: the sampled rows differ")
    for name, value in manifest["invariants"].items():
        if state["invariants"].get(name) != value:
            differences.append(f"{name}: {state['invariants'].get(name)!r} restored, {value!r} backed up")
    return differences


def database_url(alias: str = "default") -> str:
    """A URL naming a database of the same server as `alias` (used by the drill to make a fresh target)."""
    db = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path="/" + quote(name)).geturl() if parts.scheme != "sqlite" else f"sqlite:///{unquote(name)}"
