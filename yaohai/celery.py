"""The Celery application: escalation sweeps and assessment run here, with Redis as the broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaohai.settings")

app = Celery("yaohai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
