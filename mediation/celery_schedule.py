"""Mediation's beat entries; settings merge them into CELERY_BEAT_SCHEDULE."""

BEAT = {
    "mediation-sweep": {
        "task": "mediation.sweep",
        "schedule": 3600.0,  # hourly: time limits are counted in days
        "options": {"expires": 3500},
    },
}
