"""`manage.py open311_client --tenant 340102 --name "市民热线App"`: a client of the district's Open311 endpoint
and its API key, printed this once (only its hash is kept; switch a client off in the admin)."""

from django.core.management.base import BaseCommand, CommandError

from grids.models import Tenant
from residents.open311 import new_client


class Command(BaseCommand):
    help = "为区县的 Open311 接口登记一个客户端并打印其 API key（只显示这一次，库中只存其散列）。"

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="District code (jurisdiction_id), e.g. 340102.")
        parser.add_argument("--name", required=True, help="The client's name, e.g. the app's.")

    def handle(self, *args, tenant, name, **options):
        district = Tenant.objects.filter(code=tenant).first()
        if district is None:
            raise CommandError(f"{tenant}: no such district.")
        if not name.strip():
            raise CommandError("--name is required.")
        client, key = new_client(tenant=district, name=name.strip())
        self.stdout.write(f"{client.name} (#{client.pk}, {district.code}): api_key={key}")
