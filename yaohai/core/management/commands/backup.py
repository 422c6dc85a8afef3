"""manage.py backup [FOLDER]: the database, the media and a manifest with checksums (see yaohai.core.backup)."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yaohai.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder, with checksums and row counts."

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", nargs="?",
            help="a new folder for the backup (default: BACKUP_ROOT/YYYYmmdd-HHMMSS)",
        )

    def handle(self, *args, folder=None, **options):
        if folder is None:
            folder = Path(settings.BACKUP_ROOT) / dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        try:
            result = backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in result.manifest["tables"].values())
        self.stdout.write(f"backed up {len(result.manifest['tables'])} tables, {rows} rows, into {result.folder}")
        for name, file in result.manifest["files"].items():
            self.stdout.write(f"  {name}  {file['bytes']} bytes  sha256 {file['sha256']}")
