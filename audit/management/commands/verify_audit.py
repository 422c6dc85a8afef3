"""manage.py verify_audit: recompute every audit chain; exit non-zero if a sealed row was altered or removed."""

from django.core.management.base import BaseCommand, CommandError

from audit import services


class Command(BaseCommand):
    help = "Prove that no sealed row of the audit trail was altered or removed (recomputes each chain's hashes)."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal unsealed rows first")

    def handle(self, *args, seal=False, **options):
        if seal:
            services.seal_all()
        broken = 0
        for verdict in services.verify_all():
            state = "intact" if verdict.intact else "BROKEN"
            self.stdout.write(f"chain {verdict.chain}: {verdict.rows} rows, {state}")
            for problem in verdict.problems:
                self.stdout.write(f"  {problem}")
            broken += not verdict.intact
        if broken:
            raise CommandError(f"{broken} chain(s) broken")
