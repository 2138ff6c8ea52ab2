"""Contest-wide totals that aggregate every entry, assignment or sheet of a contest
(hundreds of thousands in a national contest): the judging boards' summaries and the
organizers' statistics. A page must not recount them on every load, so they are kept in
Django's cache (Redis in production, shared by every web process) for
PORTAL_TOTALS_CACHE_SECONDS and carry the instant they were counted, which the pages show.
Code that changes what a page's totals count and wants it seen at once deletes the key."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def cached_totals(key: str, compute: Callable[[], dict]) -> dict:
    """`compute()` plus "computed_at", from the cache when younger than
    PORTAL_TOTALS_CACHE_SECONDS (0: counted on every call). A fresh dict each time: callers
    may change it."""
    seconds = settings.PORTAL_TOTALS_CACHE_SECONDS
    if seconds > 0:
        found = cache.get(key)
        if found is not None:
            return dict(found)
    value = {**compute(), "computed_at": timezone.now()}
    if seconds > 0:
        cache.set(key, value, seconds)
    return dict(value)
