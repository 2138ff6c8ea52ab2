"""Certificate rendering benchmark (issue 8, heavy jobs): certificates rendered by two Celery
workers, certificates per second and the workers' peak memory, for several batch sizes.

    .venv/bin/python bench/certificates_bench.py                  # 1,000 certificates; 10, 50, 200
    .venv/bin/python bench/certificates_bench.py --count 10000    # the issue's 10,000 (long)
    .venv/bin/python bench/certificates_bench.py --count 200 --batches 50

The production path end to end: the certificates are queued with certificates_queue (one
outbox row and one Celery job per batch, awards/services.py) and rendered by two workers
started as deploy/entrypoint.sh starts them (`celery -A config worker`, prefork pool, here
one process each) on PostgreSQL (database cchc_certs_bench, created and migrated when
missing), a redis-server of the bench's own on a free port, files in a temporary folder,
DEBUG off with collected (hashed) static files. For each batch size: every certificate is
reset to pending, two fresh workers start and render one warm-up batch each (WeasyPrint
import, fonts), then the clock runs from queueing to the last certificate committed.

Memory: VmHWM (peak resident set) of each worker's pool process, read after the warm-up, at
half the certificates and at the end: equal figures at half and at the end mean the memory
does not grow with the number of certificates, only with the batch (one document at a time).
The last three lines (one per batch size) are what bench/run_all.py puts in its table."""

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get(
    "BENCH_CERTIFICATES_DB", "postgres://postgres@127.0.0.1:5432/cchc_certs_bench"
)
CONTEST_NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"
WARM_UP = 2  # one batch per worker
MEMBERS = "Lưu Văn Đức {i} – Chuyên viên\nVy Thị Ngọc Ánh {i} – Kế toán, Sở Tư pháp"
CELERY = Path(sys.executable).with_name("celery")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def _pool_processes(worker: subprocess.Popen) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(worker.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _peak_mib(workers) -> float:
    """The largest VmHWM among the pool processes of the workers, in MiB."""
    peaks = [_status_kib(pid, "VmHWM") for w in workers for pid in _pool_processes(w)]
    return round(max(peaks, default=0) / 1024, 1)


def _setup(env: dict) -> None:
    os.environ.update(env)
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE cchc_certs_bench"],
        capture_output=True,
        check=False,
    )
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    import django

    django.setup()


def _certificates(total: int) -> list[int]:
    """`total` certificates of one approved award set, all pending, no files."""
    from awards.enums import CertificateKind, CertificateStatus
    from awards.models import AwardSet, Certificate
    from awards.services import award_set_approve, award_set_compute
    from contest.enums import Role
    from contest.models import Contest
    from submissions.enums import EntryKind
    from tests.factories import (
        ContestFactory,
        UserFactory,
        accepted_entry,
        approved_ranking,
        grant,
    )

    contest = Contest.objects.filter(slug="certificates-bench").first()
    if contest is None:
        contest = ContestFactory(name=CONTEST_NAME, slug="certificates-bench")
        organizer = UserFactory()
        grant(organizer, contest, Role.ORGANIZER)
        people = [accepted_entry(contest, author_names=[f"Nguyễn Thị Hường {i}"]) for i in range(7)]
        approved_ranking(
            contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 90 - i) for i, e in enumerate(people)]
        )
        groups = [
            accepted_entry(
                contest,
                kind=EntryKind.GROUP,
                author_names=[f"Lưu Văn Đức {i}", f"Vy Thị Ngọc Ánh {i}", f"Đàm Quang Khải {i}"],
            )
            for i in range(7)
        ]
        approved_ranking(
            contest, kind=EntryKind.GROUP, rows=[(e, 88 - i) for i, e in enumerate(groups)]
        )
        award_set = award_set_compute(contest=contest, by=organizer)
        award_set_approve(award_set=award_set, by=organizer)
    award_set = AwardSet.objects.get(contest=contest)
    awards = list(award_set.awards.filter(entry__isnull=False).select_related("tier"))
    if Certificate.objects.filter(award__award_set=award_set).count() != total:
        Certificate.objects.filter(award__award_set=award_set).delete()
        Certificate.objects.bulk_create(
            Certificate(
                award=awards[i % len(awards)],
                kind=(
                    CertificateKind.MERIT
                    if awards[i % len(awards)].tier.merit_certificate
                    else CertificateKind.COMMITTEE
                ),
                recipient_key=f"bench:{i}",
                number=f"BK2025-{i:05d}-BNCH",
                sequence=i + 1,
                recipient_name=f"Hoàng Thị Ngọc Ánh {i}",
                recipient_position="Chuyên viên, Văn phòng UBND huyện Cao Lộc",
                members=MEMBERS.format(i=i) if i % 7 == 0 else "",
            )
            for i in range(total)
        )
    Certificate.objects.filter(award__award_set=award_set).update(
        status=CertificateStatus.PENDING,
        pdf="",
        rendered_at=None,
        render_queued_at=None,
        render_started_at=None,
        error="",
    )
    return list(
        Certificate.objects.filter(award__award_set=award_set)
        .order_by("kind", "sequence")
        .values_list("pk", flat=True)
    )


def _wait_rendered(ids: list[int], target: int, timeout: float, on_half=None) -> int:
    from awards.enums import CertificateStatus
    from awards.models import Certificate

    deadline = time.monotonic() + timeout
    half_done = False
    while True:
        done = Certificate.objects.filter(
            pk__in=ids, status__in=[CertificateStatus.RENDERED, CertificateStatus.FAILED]
        ).count()
        if on_half and not half_done and done >= target / 2:
            on_half()
            half_done = True
        if done >= target or time.monotonic() > deadline:
            return done
        time.sleep(0.25)


def run(count: int, batch: int, env: dict, media: Path, logs: Path) -> dict:
    from awards.enums import CertificateStatus
    from awards.models import Certificate
    from awards.services import certificates_queue

    ids = _certificates(count + WARM_UP * batch)
    if media.exists():
        shutil.rmtree(media)
    warm, timed = ids[: WARM_UP * batch], ids[WARM_UP * batch : WARM_UP * batch + count]
    workers = [
        subprocess.Popen(
            [
                *(str(CELERY), "-A", "config", "worker", "--concurrency", "1"),
                *("--hostname", f"bench{n}-{batch}@%h", "--loglevel", "WARNING"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=env,
            stdout=(logs / f"worker{n}-{batch}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for n in (1, 2)
    ]
    figures: dict = {"batch": batch, "count": count}
    try:
        certificates_queue(certificate_ids=warm, batch_size=batch)
        _wait_rendered(warm, len(warm), timeout=600)
        figures["rss_warm_mib"] = _peak_mib(workers)
        started = time.perf_counter()
        figures["jobs"] = certificates_queue(certificate_ids=timed, batch_size=batch)

        def half():
            figures["rss_half_mib"] = _peak_mib(workers)

        done = _wait_rendered(timed, count, timeout=max(1800, count), on_half=half)
        elapsed = time.perf_counter() - started
        figures["rss_end_mib"] = _peak_mib(workers)
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=120)
    rendered = Certificate.objects.filter(pk__in=timed, status=CertificateStatus.RENDERED)
    figures.update(
        rendered=rendered.count(),
        done=done,
        # One file per certificate, warm-up included, nothing else.
        files_ok=sum(1 for p in media.rglob("*") if p.is_file()) == len(warm) + count,
        seconds=round(elapsed, 1),
        per_second=round(count / elapsed, 1),
        load=" ".join(f"{x:.1f}" for x in os.getloadavg()),
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--batches", type=int, nargs="+", default=[10, 50, 200])
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cchc-certificates-bench-"))
    port = _free_port()
    redis = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(work)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        DATABASE_URL=DATABASE,
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        VAR_DIR=str(work),
        STATIC_ROOT=str(ROOT / "var" / "bench" / "certificates-static"),
    )
    results = []
    try:
        deadline = time.monotonic() + 10
        ping = ["redis-cli", "-p", str(port), "ping"]
        while subprocess.run(ping, capture_output=True, check=False).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        _setup(env)
        for batch in args.batches:
            results.append(run(args.count, batch, env, work / "media", work))
            print(results[-1], file=sys.stderr, flush=True)
    finally:
        redis.terminate()
        redis.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.count} certificates, 2 workers (prefork, 1 process each), PostgreSQL, Redis;"
        f" load {results[-1]['load'] if results else '?'}"
    )
    for r in results:
        ok = "" if r["rendered"] == r["count"] and r["files_ok"] else f" ✘ {r['rendered']} rendered"
        print(
            f"batch {r['batch']}: {r['count']} in {r['seconds']} s = {r['per_second']}/s,"
            f" {r['jobs']} jobs; worker peak RSS {r['rss_warm_mib']} (warm)"
            f" / {r.get('rss_half_mib', '?')} (half) / {r['rss_end_mib']} (end) MiB{ok}"
        )


if __name__ == "__main__":
    main()
