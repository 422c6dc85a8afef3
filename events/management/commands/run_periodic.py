"""Run the periodic jobs in this process, for deployments without Redis/Celery beat (e.g. from cron)."""

import time

from django.core.management.base import BaseCommand

from events import services
from events.assessment import services as assessment_services
from exports import services as export_services


class Command(BaseCommand):
    help = (
        "Run the deadline sweep (and escalation), the assessment's catch-up of unscored months and the clean-up "
        "of expired exports once, or every --every seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once).")

    def handle(self, *args, every, **options):
        while True:
            result = services.sweep_deadlines()
            self.stdout.write(
                f"sweep: {result.near} near deadline, {result.overdue} overdue, {result.escalated} escalated"
            )
            # The months that ended without a run (two queries when none is due); see docs/assessment.md.
            scored = assessment_services.score_due_months()
            self.stdout.write(f"assessment: {len(scored)} month(s) scored")
            swept = export_services.sweep_exports()  # docs/exports.md
            self.stdout.write(
                f"exports: {swept.deleted} expired deleted, {swept.interrupted} interrupted, {swept.requeued} queued again"
            )
            if every <= 0:
                return
            time.sleep(every)
