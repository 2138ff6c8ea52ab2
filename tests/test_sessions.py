"""Sessions: with Redis they are read from it (a signed-in page costs no session query) and
still written to PostgreSQL, so a session outlives a Redis that lost its copy."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.processes import django_env, manage

CACHED_DB = "django.contrib.sessions.backends.cached_db"
PRINT_ENGINE = "from django.conf import settings; print(settings.SESSION_ENGINE)"


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [("redis://127.0.0.1:6379/9", CACHED_DB), ("", "django.contrib.sessions.backends.db")],
)
def test_sessions_are_read_through_redis_when_it_is_configured(tmp_path, redis_url, engine):
    env = django_env(tmp_path, "config.settings.dev", REDIS_URL=redis_url)

    result = manage("shell", "-c", PRINT_ENGINE, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == engine


@pytest.mark.django_db
@override_settings(SESSION_ENGINE=CACHED_DB)
def test_a_signed_in_page_reads_its_session_from_the_cache_and_survives_losing_it(client):
    client.force_login(UserFactory())
    url = reverse("accounts:profile")
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert not [q for q in captured if "django_session" in q["sql"]]

    cache.clear()  # Redis restarted empty: the session is read from the database again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["user"].is_authenticated
    assert [q for q in captured if "django_session" in q["sql"]]
