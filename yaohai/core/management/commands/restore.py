"""manage.py restore FOLDER --database-url URL: restore a backup into a fresh database and prove it matches."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yaohai.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a fresh, empty database (and a media folder), then compare "
        "row counts, sampled rows and the registered invariants with the backup's manifest. Exits non-zero on any "
        "difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup's folder (with manifest.json)")
        parser.add_argument("--database-url", required=True, help="an empty database to restore into")
        parser.add_argument("--media-root", help="where to unpack the media files (omit to skip them)")

    def handle(self, *args, folder, database_url, media_root=None, **options):
        try:
            result = restore(Path(folder), database_url, Path(media_root) if media_root else None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.differences:
            for line in result.differences:
                self.stderr.write(f"  {line}")
            raise CommandError(f"the restore differs from the backup in {len(result.differences)} places")
        self.stdout.write(f"restored {result.tables} tables, {result.rows} rows; counts, samples and invariants match")
