"""Run the periodic jobs in this process, for deployments without Redis/Celery beat (e.g. from cron)."""

import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run every task of the beat schedule (CELERY_BEAT_SCHEDULE: the deadline sweep and escalation, the "
        "assessment's catch-up of unscored months, the clean-up of expired exports…) once, or every --every "
        "seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once).")

    def handle(self, *args, every, **options):
        # Each app declares its own entries (<app>/celery_schedule.py); this runs them in their declared order,
        # in this process, without knowing the apps.
        current_app.loader.import_default_modules()
        while True:
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                result = current_app.tasks[entry["task"]].apply().get()
                self.stdout.write(f"{name}: {result}")
            if every <= 0:
                return
            time.sleep(every)
