"""Issue 7, faults: a Celery worker killed with SIGKILL (its whole process group: the prefork
parent and its child) while it renders certificates, 20 times, then left to finish. Every
award ends with exactly one valid certificate, no number twice, no stray file.

Real processes, the way production runs them: a worker started with `celery -A config
worker --pool prefork` on a PostgreSQL database of this test (created and dropped here, so it
runs whatever database the suite itself uses: a separate process cannot share the suite's
SQLite or its uncommitted test transaction) and a redis-server of its own on a free port.
Nothing is mocked: a killed worker never acknowledges its job, the broker would give it back
only after its visibility timeout (an hour), and what brings the certificates back is the
portal's own sweep (awards.services.certificates_requeue_stale), queued by every worker that
starts and by beat every minute. Here its "stale" threshold is 1 s instead of 300 s, and the
test sends the sweep itself while it waits at the end, as beat would."""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import unicodedata
from functools import partial
from pathlib import Path

import pytest

from tests.processes import ROOT, django_env
from tests.security.faultkit import RedisServer, postgres_database
from tests.security.report import figure_write

pytestmark = pytest.mark.faults

KILLS = 20
BATCH = 4
CONTEST_NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"
CELERY = Path(sys.executable).with_name("celery")


# --- run in a subprocess against the test's database ----------------------------------------


def seed() -> dict:
    """An approved award set of 44 individual and 14 group prizes, certificates issued: the
    rendering jobs wait in the broker for a worker."""
    import datetime as dt

    from awards.models import Certificate
    from awards.services import (
        award_set_approve,
        award_set_compute,
        award_settings_for,
        certificates_issue,
    )
    from contest.enums import Role
    from contest.models import PrizeTier
    from contest.outbox import outbox_pending_count
    from submissions.enums import EntryKind
    from tests.factories import (
        ContestFactory,
        UserFactory,
        accepted_entry,
        approved_ranking,
        grant,
    )

    contest = ContestFactory(name=CONTEST_NAME)
    PrizeTier.objects.filter(contest=contest, rank=4).update(individual_count=40, group_count=10)
    organizer = UserFactory(full_name="Trần Văn Tổ Chức")
    grant(organizer, contest, Role.ORGANIZER)
    award_settings = award_settings_for(contest=contest)
    award_settings.decision_number = "2156/QĐ-UBND"
    award_settings.decision_date = dt.date(2025, 9, 26)
    award_settings.gold_book_first_number = 501
    award_settings.save()
    individuals = [
        accepted_entry(contest, author_names=[f"Nguyễn Thị Hường {i}"]) for i in range(44)
    ]
    groups = [
        accepted_entry(
            contest,
            kind=EntryKind.GROUP,
            author_names=[f"Lưu Văn Đức {i}", f"Vy Thị Ngọc Ánh {i}"],
        )
        for i in range(14)
    ]
    approved_ranking(
        contest,
        kind=EntryKind.INDIVIDUAL,
        rows=[(e, 99 - i / 2) for i, e in enumerate(individuals)],
    )
    approved_ranking(
        contest, kind=EntryKind.GROUP, rows=[(e, 98 - i / 2) for i, e in enumerate(groups)]
    )
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    certificates_issue(award_set=award_set, by=organizer)
    return {
        "awards": award_set.awards.filter(entry__isnull=False).count(),
        "certificates": Certificate.objects.count(),
        "unsent_jobs": outbox_pending_count(),
    }


_SEED = """
import json, django
django.setup()
from tests.security.test_worker_kill import seed
print(json.dumps(seed()))
"""


# --- fixtures: a database and a broker of this test alone -------------------------------------


@pytest.fixture
def database():
    with postgres_database("cchc_faults") as name:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def broker(tmp_path):
    import redis

    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server.url(0), redis.Redis(port=server.port)
    finally:
        server.stop()


@pytest.fixture
def spawned():
    """Workers started by the test; any still running when it ends (a failure) are killed."""
    workers: list[Worker] = []
    yield workers
    for worker in workers:
        if worker.process.poll() is None:
            worker.kill()


# --- the worker ---------------------------------------------------------------------------------


class Worker:
    """`celery -A config worker --pool prefork --concurrency 1` in a process group of its own."""

    def __init__(self, env: dict, log: Path, name: str, spawned: list):
        spawned.append(self)
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    *(str(CELERY), "-A", "config", "worker", "--pool", "prefork"),
                    *("--concurrency", "1", "--loglevel", "INFO", "--hostname", f"{name}@%h"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, sig=signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        # The signal reaches the pool child at the same time: neither runs another instruction.
        self.process.wait(timeout=60)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def wait_for(self, condition, *, deadline: float, pause: float = 0.02) -> None:
        while not condition():
            assert self.process.poll() is None, self.tail()
            assert time.monotonic() < deadline, f"nothing happened\n{self.tail()}"
            time.sleep(pause)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_killed_workers_leave_every_award_exactly_one_valid_certificate(
    database, broker, spawned, tmp_path
):
    import psycopg
    from celery import Celery
    from pypdf import PdfReader

    redis_url, redis_client = broker
    env = django_env(
        tmp_path,
        "config.settings.dev",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        AWARDS_CERTIFICATE_BATCH=str(BATCH),
        AWARDS_CERTIFICATE_STALE_SECONDS="1",
    )
    media = tmp_path / "media"
    log = tmp_path / "worker.log"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    seeded = subprocess.run(
        [sys.executable, "-c", _SEED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    figures = json.loads(seeded.stdout.strip().splitlines()[-1])
    assert figures == {"awards": 58, "certificates": 58, "unsent_jobs": 0}
    # One job per batch of one kind, waiting: 8 Bằng khen, 50 Giấy chứng nhận.
    assert redis_client.llen("celery") == -(-8 // BATCH) - (-50 // BATCH)

    db = psycopg.connect(database, autocommit=True)

    def scalar(sql: str, *params):
        return db.execute(sql, params).fetchone()[0]

    def in_progress(since) -> int:
        """Certificates a worker started since `since` and has not finished."""
        return scalar(
            "SELECT count(*) FROM awards_certificate"
            " WHERE status = 'pending' AND render_started_at >= %s",
            since,
        )

    def stored(since) -> int:
        """Certificates a worker finished since `since` (file written, row committed)."""
        return scalar(
            "SELECT count(*) FROM awards_certificate"
            " WHERE status = 'rendered' AND rendered_at >= %s",
            since,
        )

    def half_written(since) -> int:
        """Batches (one start time) with some certificates committed and some not."""
        return scalar(
            "SELECT count(*) FROM (SELECT render_started_at FROM awards_certificate"
            " WHERE render_started_at >= %s GROUP BY render_started_at"
            " HAVING bool_or(status = 'rendered') AND bool_or(status = 'pending')) AS batches",
            since,
        )

    rng = random.Random(7)
    interrupted = writing = 0
    for kill in range(KILLS):
        started = scalar("SELECT now()")
        worker = Worker(env, log, f"kill{kill}", spawned)
        deadline = time.monotonic() + 180
        rendering = partial(in_progress, started)
        worker.wait_for(rendering, deadline=deadline)
        if kill % 2:
            # While the batch writes its files: after the first one of them is committed.
            worker.wait_for(partial(stored, started), deadline=deadline, pause=0.005)
        else:
            # While the batch is laid out (WeasyPrint) or cut (pypdf).
            time.sleep(rng.uniform(0, 1.5))
        worker.wait_for(rendering, deadline=deadline, pause=0.005)  # not between two batches
        worker.kill()
        interrupted += bool(in_progress(started))
        writing += bool(half_written(started))

    # Left to finish. Beat would queue the sweep every minute; here every 5 s when idle.
    beat = Celery("beat-stand-in", broker=redis_url, set_as_current=False)
    worker = Worker(env, log, "finish", spawned)
    deadline = time.monotonic() + 600
    last_sweep = time.monotonic()
    try:
        while scalar("SELECT count(*) FROM awards_certificate WHERE status = 'pending'"):
            assert worker.process.poll() is None, worker.tail()
            assert time.monotonic() < deadline, worker.tail()
            if time.monotonic() - last_sweep > 5 and redis_client.llen("celery") == 0:
                beat.send_task("awards.tasks.task_requeue_stale_certificates")
                last_sweep = time.monotonic()
            time.sleep(0.2)
    finally:
        worker.kill(signal.SIGTERM)
        beat.close()

    rows = db.execute(
        "SELECT a.id, c.id, c.number, c.status, c.pdf, c.recipient_name, c.members"
        " FROM awards_award a LEFT JOIN awards_certificate c ON c.award_id = a.id"
        " WHERE a.entry_id IS NOT NULL ORDER BY a.id, c.id"
    ).fetchall()
    certificate_count = scalar("SELECT count(*) FROM awards_certificate")
    numbers = scalar("SELECT count(DISTINCT number) FROM awards_certificate")
    db.close()

    per_award: dict[int, list] = {}
    for award_id, certificate_id, *certificate in rows:
        per_award.setdefault(award_id, [])
        if certificate_id is not None:
            per_award[award_id].append(certificate)
    invalid = []
    for certificates in per_award.values():
        for number, status, pdf, recipient, members in certificates:
            path = media / pdf if pdf else None
            if status != "rendered" or path is None or not path.is_file():
                invalid.append((number, status, pdf))
                continue
            reader = PdfReader(path)
            text = _nfc(reader.pages[0].extract_text())
            expected = [recipient, number] + [m.split(" – ")[0] for m in members.splitlines()]
            if len(reader.pages) != 1 or [e for e in expected if _nfc(e) not in text]:
                invalid.append((number, status, pdf))
    lost = sum(1 for c in per_award.values() if len(c) == 0)
    duplicated = sum(len(c) - 1 for c in per_award.values() if len(c) > 1)
    duplicated += certificate_count - numbers
    files = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    referenced = {c[2] for cs in per_award.values() for c in cs if c[2]}
    stray = sorted(files - referenced)

    figure_write(
        "worker_kill",
        title="Tiến trình Celery bị dừng đột ngột (kill -9) khi đang tạo bằng khen",
        rows=[
            ("số lần kill -9 (cả nhóm tiến trình)", KILLS),
            ("trong đó đang dở một lô", interrupted),
            ("trong đó lô đã ghi được một phần tệp", writing),
            ("giải thưởng", len(per_award)),
            ("bằng khen, giấy chứng nhận", certificate_count),
            ("giải thiếu giấy (lost)", lost),
            ("giấy trùng (duplicated)", duplicated),
            ("tệp PDF hỏng hoặc sai nội dung", len(invalid)),
            ("tệp thừa trong kho lưu trữ", len(stray)),
        ],
        ok=not (lost or duplicated or invalid or stray),
    )
    assert len(per_award) == certificate_count == 58
    assert (lost, duplicated, invalid, stray) == (0, 0, [], [])
    assert interrupted >= KILLS // 2, "the kills should land while a batch is being rendered"
