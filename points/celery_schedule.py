"""The points app's beat entries; settings merge them into CELERY_BEAT_SCHEDULE."""

BEAT = {
    "points-sweep-ledger": {
        "task": "points.sweep_ledger",
        "schedule": 86400.0,  # nightly; a missed night is simply checked by the next run
        "options": {"expires": 82800},
    },
}
