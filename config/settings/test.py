"""Tests: the embedded default, or PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

import os

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-media"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the app folders: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run inline in tests unless a test starts a real worker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
# The public page cache outlives a test (locmem): off, except in the tests that check it.
PORTAL_PUBLIC_PAGE_CACHE_SECONDS = 0
# Likewise the cached contest-wide totals (tests/judging/test_assignment_pages.py and
# tests/awards/test_views.py turn them on).
PORTAL_TOTALS_CACHE_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Parallel test workers (pytest-xdist) share REDIS_URL; tests clear the cache, so each worker
# keeps its cache in a Redis database of its own: gw0 the given one, gw1 the one below, etc.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    _base, _, _db = REDIS_URL.rpartition("/")
    if _db.isdigit():
        CACHES["default"]["LOCATION"] = f"{_base}/{(int(_db) - int(_worker[2:])) % 16}"

# Sessions from the database in both test runs, so that query counts are the same with and
# without Redis; tests/test_sessions.py checks the engine production chooses with Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
