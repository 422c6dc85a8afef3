"""manage.py check_ledger: prove every balance equals the sum of its entries; exit 1 on any difference."""

from django.core.management.base import BaseCommand, CommandError

from points.integrity import differences


class Command(BaseCommand):
    help = "Check the points ledger: each account's balance is the sum of its entries; each movement nets to zero."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", type=int, default=None, help="Only this tenant's id.")

    def handle(self, *args, tenant=None, **options):
        found = differences(tenant_id=tenant)
        for difference in found:
            self.stderr.write(str(difference))
        if found:
            raise CommandError(f"{len(found)} difference(s) in the points ledger")
        self.stdout.write("points ledger: every balance equals the sum of its entries")
