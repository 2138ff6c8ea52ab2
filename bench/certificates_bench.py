"""Certificate rendering benchmark: certificates per second and peak memory, at several
batch sizes, each in a fresh process so that peak RSS belongs to that batch alone.

    .venv/bin/python bench/certificates_bench.py            # 100 and 1000
    .venv/bin/python bench/certificates_bench.py 100 1000 2000

Each certificate goes through task_render_certificate (the Celery task, run inline), as in
production: one PDF per certificate written to storage. Memory flat across sizes means no
per-certificate state is kept (shared FontConfiguration and parsed stylesheet only)."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from awards.models import Certificate
    from awards.services import award_set_approve, award_set_compute
    from awards.tasks import task_render_certificate
    from contest.enums import Role
    from submissions.enums import EntryKind
    from tests.factories import (
        ContestFactory,
        UserFactory,
        accepted_entry,
        approved_ranking,
        grant,
    )

    contest = ContestFactory(
        name="Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"
    )
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    entries = [accepted_entry(contest, author_names=[f"Nguyễn Thị Hường {i}"]) for i in range(7)]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 90 - i) for i, e in enumerate(entries)]
    )
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    awards = list(award_set.awards.filter(entry__isnull=False).select_related("tier"))
    Certificate.objects.bulk_create(
        Certificate(
            award=awards[i % len(awards)],
            kind="merit" if awards[i % len(awards)].tier.merit_certificate else "committee",
            recipient_key=f"bench:{i}",
            number=f"BENCH-{i:05d}",
            sequence=i + 1,
            recipient_name=f"Hoàng Thị Ngọc Ánh {i}",
            recipient_position="Chuyên viên, Văn phòng UBND huyện Cao Lộc",
        )
        for i in range(count)
    )
    ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))

    # Warm up (fonts, stylesheet) outside the timed loop, then measure.
    warm = min(10, count)
    for pk in ids[:warm]:
        task_render_certificate.delay(certificate_id=pk)
    rss_after_warmup = _rss_kib()
    started = time.perf_counter()
    for pk in ids[warm:]:
        task_render_certificate.delay(certificate_id=pk)
    elapsed = time.perf_counter() - started
    rendered = Certificate.objects.filter(status="rendered").count()
    return {
        "count": count,
        "rendered": rendered,
        "seconds": round(elapsed, 2),
        "certificates_per_second": round((count - warm) / elapsed, 1) if elapsed else None,
        "rss_after_warmup_mib": round(rss_after_warmup / 1024, 1),
        "rss_end_mib": round(_rss_kib() / 1024, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: list[int]) -> None:
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
            env.pop("REDIS_URL", None)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"{'batch':>6} {'ok':>6} {'seconds':>8} {'cert/s':>7} {'RSS warm':>9} "
        f"{'RSS end':>8} {'peak RSS':>9}"
    )
    for r in results:
        print(
            f"{r['count']:>6} {r['rendered']:>6} {r['seconds']:>8} "
            f"{r['certificates_per_second']:>7} {r['rss_after_warmup_mib']:>8}M "
            f"{r['rss_end_mib']:>7}M {r['peak_rss_mib']:>8}M"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [100, 1000])
