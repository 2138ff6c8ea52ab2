"""A real Celery worker on a real Redis broker runs the portal's monitoring task."""

import os
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from contest.models import Contest
from contest.tasks import HEARTBEAT_CACHE_KEY, task_record_heartbeat
from tests.factories import ContestFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"


@pytest.fixture
def broker_app():
    """A Celery app configured like config/celery.py but on Redis, not eager, and consuming a
    queue of its own (parallel test runs sharing the Redis database never take each other's
    tasks). A separate app leaves the portal's app, used eagerly by other tests, untouched."""
    queue = f"test-{uuid.uuid4().hex}"
    app = Celery("portal-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    yield app, queue
    redis.Redis.from_url(REDIS_URL).delete(
        queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
    )
    app.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_records_the_heartbeat_with_the_contest_count(broker_app):
    celery_app, queue = broker_app
    ContestFactory.create_batch(2)
    cache.delete(HEARTBEAT_CACHE_KEY)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue]):
        result = celery_app.tasks[task_record_heartbeat.name].apply_async()
        beat = result.get(timeout=30)
        result.forget()

    assert beat["contests"] == Contest.objects.count() == 2
    assert cache.get(HEARTBEAT_CACHE_KEY) == beat
