"""评价考核 — the monthly assessment of grid workers and nodes (docs/assessment.md).

Layout: `indicators` (the fixed catalogue in code, with written definitions), `models` (a tenant's scheme, month
runs and their score rows), `scoring` (the set-based computation), `services` (writes: compute, publish, the
default scheme), `selectors` (reads, scoped), `tasks` (Celery), then the HTML views, the .xlsx sheet and the admin.
"""
