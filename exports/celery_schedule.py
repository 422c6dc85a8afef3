"""The exports app's beat entries; settings merge them: CELERY_BEAT_SCHEDULE = {**exports.celery_schedule.BEAT, …}."""

BEAT = {
    "exports-sweep-exports": {
        "task": "exports.sweep_exports",
        "schedule": 900.0,  # every quarter hour; a missed run is caught up by the next
        "options": {"expires": 890},
    },
}
