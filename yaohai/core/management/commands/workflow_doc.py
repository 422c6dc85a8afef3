"""Rewrite the generated blocks of docs/workflows.md from the registered workflow tables."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yaohai.core.workflow_doc import render_doc


class Command(BaseCommand):
    help = "Draw docs/workflows.md's diagrams and tables from the workflow tables (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="exit 1 if the page differs from the tables")
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "docs" / "workflows.md"))

    def handle(self, *args, check=False, path="", **options):
        page = Path(path)
        text = page.read_text(encoding="utf-8")
        try:
            drawn = render_doc(text)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if drawn == text:
            self.stdout.write("docs/workflows.md is up to date.")
            return
        if check:
            raise CommandError("docs/workflows.md differs from the workflow tables: run manage.py workflow_doc.")
        page.write_text(drawn, encoding="utf-8")
        self.stdout.write("docs/workflows.md rewritten from the tables.")
