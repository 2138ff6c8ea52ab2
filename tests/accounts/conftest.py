import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps its rate limits (one confirmation mail per address per 3 minutes, ...)
    in the cache; each test starts without another test's counts."""
    cache.clear()
    yield
    cache.clear()
