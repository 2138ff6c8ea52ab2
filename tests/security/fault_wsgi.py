"""The WSGI application of the fault tests' gunicorn, loaded once before the workers fork
(--preload): the URL configuration and every view module (WeasyPrint among their imports) are
imported up front, so no worker's first request pays for them while a test times requests."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports every view module)
