"""/healthz: what load balancers and the container health check probe."""

import json
import os

import pytest
from django.core.cache import cache
from django.utils import timezone

from contest.models import OutboxTask
from tests.processes import closed_port, django_env, http_get

PRODUCTION = {
    "SECRET_KEY": "healthz-test-" + "k" * 60,
    "ALLOWED_HOSTS": "localhost",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.vn:587",
}


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}, "outbox_pending": 0}
    assert response["Cache-Control"] == ("max-age=0, no-cache, no-store, must-revalidate, private")


@pytest.mark.django_db
def test_healthz_reports_redis_and_last_heartbeat_when_redis_is_configured(client, settings):
    settings.REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"
    cache.set("portal:worker-heartbeat", {"at": "2025-07-14T23:59:00+07:00", "contests": 2})

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
        "outbox_pending": 0,
        "worker_heartbeat": {"at": "2025-07-14T23:59:00+07:00", "contests": 2},
    }
    cache.delete("portal:worker-heartbeat")


@pytest.mark.django_db
def test_healthz_counts_jobs_waiting_for_the_broker(client, settings):
    settings.REDIS_URL = ""
    OutboxTask.objects.create(task="contest.tasks.task_record_heartbeat")
    OutboxTask.objects.create(task="contest.tasks.task_record_heartbeat", sent_at=timezone.now())

    response = client.get("/healthz")

    assert (response.status_code, response.json()["outbox_pending"]) == (200, 1)


@pytest.mark.django_db
def test_healthz_returns_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/11"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "error: ConnectionError"},
        "outbox_pending": 0,
    }


def test_healthz_returns_503_when_the_database_is_unreachable(tmp_path):
    env = django_env(
        tmp_path,
        "config.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/cchc_ops",
    )

    result = http_get("/healthz", env=env)

    assert result["status"] == 503
    assert json.loads(result["body"]) == {
        "status": "unavailable",
        "checks": {"database": "error: OperationalError"},
    }


def test_healthz_returns_503_naming_both_when_database_and_redis_are_down(tmp_path):
    env = django_env(
        tmp_path,
        "config.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/cchc_ops",
        REDIS_URL=f"redis://127.0.0.1:{closed_port()}/11",
    )

    result = http_get("/healthz", env=env)

    assert result["status"] == 503
    assert json.loads(result["body"]) == {
        "status": "unavailable",
        "checks": {"database": "error: OperationalError", "redis": "error: ConnectionError"},
    }


def test_healthz_is_not_redirected_to_https_in_production(tmp_path):
    env = django_env(tmp_path, "config.settings.production", **PRODUCTION)

    result = http_get("/healthz", env=env)

    assert result["status"] == 200
    assert result["location"] is None
    # A database without the portal's tables: reachable, so ready; the outbox count unknown.
    assert json.loads(result["body"]) == {
        "status": "ok",
        "checks": {"database": "ok"},
        "outbox_pending": None,
    }


def test_other_pages_are_redirected_to_https_in_production(tmp_path):
    env = django_env(tmp_path, "config.settings.production", **PRODUCTION)

    result = http_get("/", env=env)

    assert result["status"] == 301
    assert result["location"] == "https://localhost/"
