"""When the database cannot be reached: a short Vietnamese 503 page with Retry-After instead of
a server error. The page is rendered without the request (no session, no user, no context
processor), so it needs nothing the outage took away.

Two paths lead here. A view's error reaches DatabaseUnavailableMiddleware.process_exception;
an error raised in another middleware (loading the session or the user) has already been
turned into a 500 by Django's handler, which calls `server_error` (handler500 in
config/urls.py) while the exception is still being handled."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_unavailable_response() -> HttpResponse:
    html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503 (the transaction was rolled back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        log.error("database unavailable: %s %s", request.method, request.path, exc_info=exception)
        return database_unavailable_response()


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 page when the error is the database being unreachable."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable_response()
    return defaults.server_error(request, template_name=template_name)
