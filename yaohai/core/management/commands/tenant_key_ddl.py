"""Print the DDL that keys this database's schema by tenant for a distributed PostgreSQL (Citus): docs/scale.md.

    manage.py tenant_key_ddl            # the whole conversion, ending with create_reference_table / create_distributed_table
    manage.py tenant_key_ddl --no-citus # only the keys (runs on plain PostgreSQL: checks every composite key)

It prints; it changes nothing. Read it, run it on a copy first, in a maintenance window."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from yaohai.core.tenant_key import conversion_ddl


class Command(BaseCommand):
    help = "Print the DDL that keys the schema by tenant for a distributed PostgreSQL (Citus); changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--no-citus", action="store_true", help="only the keys, without the Citus calls")

    def handle(self, *args, no_citus=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("the tenant key's DDL is for PostgreSQL (DATABASE_URL=postgres://…)")
        self.stdout.write("BEGIN;")
        for statement in conversion_ddl(citus=not no_citus):
            self.stdout.write(statement + ";")
        self.stdout.write("COMMIT;")
