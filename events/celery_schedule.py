"""The events app's beat entries; settings merge them: CELERY_BEAT_SCHEDULE = {**events.celery_schedule.BEAT}."""

from celery.schedules import crontab

BEAT = {
    "events-sweep-deadlines": {
        "task": "events.sweep_deadlines",
        "schedule": 300.0,  # every five minutes; a missed run is caught up by the next
        "options": {"expires": 290},
    },
    # The monthly assessment: daily at 02:30, so the 1st scores the month just ended and a missed day is caught
    # up the next (the task scores only months without a run; events.assessment.services.score_due_months).
    "events-assessment-months": {
        "task": "events.assessment.score_due_months",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
}
