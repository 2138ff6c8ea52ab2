"""The Celery app. Its settings are the CELERY_* Django settings (config/settings/base.py),
including the beat schedule; without REDIS_URL tasks run inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="tasks_screening")
