"""The registry's beat entries; settings merge them into CELERY_BEAT_SCHEDULE."""

BEAT = {
    "registry-sweep-care-visits": {
        "task": "registry.sweep_care_visits",
        "schedule": 3600.0,  # hourly: due days move at midnight; a missed run is caught up by the next
        "options": {"expires": 3500},
    },
}
