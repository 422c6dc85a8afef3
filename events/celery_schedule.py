"""The events app's beat entries; settings merge them: CELERY_BEAT_SCHEDULE = {**events.celery_schedule.BEAT}."""

BEAT = {
    "events-sweep-deadlines": {
        "task": "events.sweep_deadlines",
        "schedule": 300.0,  # every five minutes; a missed run is caught up by the next
        "options": {"expires": 290},
    },
}
