"""The audit app's beat entries."""

BEAT = {
    "audit-sweep": {
        "task": "audit.sweep",
        "schedule": 3600.0,  # hourly; a missed run is caught up by the next
        "options": {"expires": 3500},
    },
}
