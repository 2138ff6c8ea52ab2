"""Settings of the portal processes the fault tests start (tests/security/faultkit.py): the
embedded default (config.settings.dev) run as in production, DEBUG off so errors go through
the error handlers, static files from the app folders (no collectstatic), a fast password
hasher for the few real logins, and LOG_LEVEL from the environment."""

from config.settings.dev import *  # noqa: F403
from config.settings.dev import STORAGES

DEBUG = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
