"""The grids app's beat entries; settings merge them: CELERY_BEAT_SCHEDULE = {**grids.celery_schedule.BEAT, …}."""

BEAT = {
    "grids-sweep-exports": {
        "task": "grids.sweep_exports",
        "schedule": 900.0,  # every quarter hour; a missed run is caught up by the next
        "options": {"expires": 890},
    },
}
