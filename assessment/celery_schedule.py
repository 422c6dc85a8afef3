"""The assessment app's beat entries; settings merge them into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT = {
    # The monthly assessment: daily at 02:30, so the 1st scores the month just ended and a missed day is caught
    # up the next (the task scores only months without a run; assessment.services.score_due_months).
    "assessment-months": {
        "task": "assessment.score_due_months",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
}
