"""The transactional outbox (contest/outbox.py): a job exists only if its transaction commits,
runs after the commit, survives an unreachable broker and is sent once the broker is back."""

import os
import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import transaction

from contest.models import Contest, OutboxTask
from contest.outbox import outbox_enqueue, outbox_flush, outbox_pending_count
from contest.tasks import HEARTBEAT_CACHE_KEY, task_record_heartbeat
from tests.factories import ContestFactory
from tests.processes import closed_port

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"


def _app(broker: str, queue: str) -> Celery:
    app = Celery("portal-outbox-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker, result_backend=None, task_always_eager=False, task_default_queue=queue
    )
    return app


@pytest.mark.django_db(transaction=True)
def test_a_job_asked_for_in_a_rolled_back_transaction_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(task_record_heartbeat)
        raise RuntimeError("the change fails")

    assert OutboxTask.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_embedded_default_runs_the_job_after_commit_and_marks_it_sent():
    ContestFactory()
    cache.delete(HEARTBEAT_CACHE_KEY)
    with transaction.atomic():
        row = outbox_enqueue(task_record_heartbeat)
        assert cache.get(HEARTBEAT_CACHE_KEY) is None  # not before the commit

    row.refresh_from_db()
    assert row.sent_at is not None
    assert cache.get(HEARTBEAT_CACHE_KEY)["contests"] == Contest.objects.count()
    assert outbox_pending_count() == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_keeps_the_job_and_the_flush_sends_it_when_back():
    ContestFactory()
    cache.delete(HEARTBEAT_CACHE_KEY)
    queue = f"test-outbox-{uuid.uuid4().hex}"
    down = _app(f"redis://127.0.0.1:{closed_port()}/0", queue)
    up = _app(REDIS_URL, queue)
    row = OutboxTask.objects.create(task=task_record_heartbeat.name)
    try:
        started = time.monotonic()
        result = outbox_flush(app=down)
        assert time.monotonic() - started < 5
        row.refresh_from_db()
        assert (result["sent"], result["failed"], result["pending"]) == (0, 1, 1)
        assert row.sent_at is None and row.attempts == 1 and row.last_error

        with start_worker(up, pool="solo", perform_ping_check=False, queues=[queue]):
            assert outbox_flush(app=up)["sent"] == 1
            for _ in range(100):
                if cache.get(HEARTBEAT_CACHE_KEY):
                    break
                time.sleep(0.1)
        row.refresh_from_db()
        assert row.sent_at is not None and row.attempts == 2
        assert cache.get(HEARTBEAT_CACHE_KEY)["contests"] == 1
        assert outbox_flush(app=up)["sent"] == 0  # sent once, never again
    finally:
        redis.Redis.from_url(REDIS_URL).delete(queue, f"_kombu.binding.{queue}")
        down.close()
        up.close()
