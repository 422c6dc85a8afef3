"""`manage.py rotate_personal_data_key`: re-seal every encrypted personal field with the current key and cipher."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from yaohai.core.personal import crypto, fields


class Command(BaseCommand):
    help = (
        "Re-encrypt identity numbers and phones written under an older key (or cipher) with the first key of "
        "PERSONAL_DATA_KEYS and PERSONAL_DATA_CIPHER. Keep the old key listed until this has run; then drop it. "
        "--reindex also recomputes the blind indexes (after changing PERSONAL_DATA_INDEX_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reindex", action="store_true", help="Recompute the blind indexes too.")
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, reindex, batch, **options):
        for column in fields.columns():  # every app's, as registered from its AppConfig.ready()
            model, field, purpose = apps.get_model(column.model), column.field, column.purpose
            token, index = f"{field}_encrypted", f"{field}_index"
            done = 0
            rows = model._base_manager.exclude(**{token: ""}).order_by("pk").values_list("pk", token)
            last = 0
            while True:
                chunk = list(rows.filter(pk__gt=last)[:batch])
                if not chunk:
                    break
                last = chunk[-1][0]
                with transaction.atomic():
                    for pk, sealed in chunk:
                        if not (reindex or crypto.needs_rotation(sealed)):
                            continue
                        plain = crypto.decrypt(sealed, purpose)
                        changes = {token: crypto.encrypt(plain, purpose)}
                        if reindex:
                            changes[index] = crypto.blind_index(plain, purpose)
                        model._base_manager.filter(pk=pk).update(**changes)
                        done += 1
            self.stdout.write(f"{model._meta.label}.{field}: {done} re-sealed")
