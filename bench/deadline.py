"""Deadline day: N entrants upload a 5–20 MB main document and submit, spread over a few
minutes, while unit staff keep reading their dashboards; gunicorn with production settings
on the big database.

    .venv/bin/python bench/deadline.py [--entrants 200] [--minutes 5] [--workers 4] [--no-proxy]

Each entrant: GET the files step (CSRF token), POST the file (multipart), POST "submit" on
the review page. Checked afterwards: every entry submitted, its stored main file has the
uploaded bytes' SHA-256 and size (0 lost uploads). Reported: errors, p50/p95 of upload and
submit, the workers' peak RSS sampled every 0.2 s. The drafts are completed in the
database first (unit chosen, declaration ticked) so that the final submit is valid.

As deployed (docker-compose.yml's `proxy`), the requests go through nginx with the portal's
own configuration (deploy/nginx/default.conf.template), which receives each upload whole
before gunicorn sees it; --no-proxy (or no nginx on the machine) measures gunicorn bare."""

import argparse
import concurrent.futures as cf
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, django_setup, machine, rss_mib, session_cookie
from load import portal_env, start_gunicorn, stop

MB = 1024 * 1024


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def _valid_pdf(size: int) -> bytes:
    """A well-formed one-page PDF padded to `size` bytes with an unused binary stream, so
    the portal's PDF check (pypdf reads the cross-reference table) accepts it quickly."""
    padding = os.urandom(max(0, size - 600))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def start_proxy(*, port: int, upstream_port: int) -> subprocess.Popen | None:
    """nginx on `port` in front of gunicorn, configured by the deployment's own template."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        return None
    prefix = Path(tempfile.mkdtemp(prefix="cchc-nginx-"))
    site = (ROOT / "deploy" / "nginx" / "default.conf.template").read_text()
    site = site.replace("${NGINX_PORT}", f"127.0.0.1:{port}")
    site = site.replace("${PORTAL_UPSTREAM}", f"127.0.0.1:{upstream_port}")
    (prefix / "site.conf").write_text(site)
    (prefix / "nginx.conf").write_text(
        "daemon off; worker_processes 2; user root root;\n"
        f"pid {prefix}/nginx.pid; error_log {prefix}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; client_body_temp_path {prefix}/body; "
        f"proxy_temp_path {prefix}/proxy; include {prefix}/site.conf; }}\n"
    )
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], start_new_session=True
    )
    time.sleep(1)
    return process


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrants", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--no-proxy", action="store_true")
    args = parser.parse_args(argv)

    media = ROOT / "var" / "bench" / "media"
    env = portal_env(os.environ.get("DATABASE_URL", ""))
    env["MEDIA_ROOT"] = str(media)
    os.environ.update({k: env[k] for k in ("DATABASE_URL",)})
    django_setup()
    import requests
    from django.db.models import Count

    from contest.models import RoleAssignment
    from submissions.models import Entry

    rng = random.Random(7)
    drafts = list(
        Entry.objects.filter(contest__slug="bench", status="draft", owner__isnull=False).order_by(
            "pk"
        )[: args.entrants]
    )
    units = list(
        Entry.objects.filter(contest__slug="bench")
        .exclude(unit__isnull=True)
        .exclude(unit__unit_type="district")
        .values_list("unit_id", flat=True)
        .distinct()[:200]
    )
    for entry in drafts:
        unit = rng.choice(units)
        Entry.objects.filter(pk=entry.pk).update(
            unit_id=unit,
            holder_id=unit,
            declaration_accepted=True,
            consent_accepted=True,
            wizard_step="declaration",
        )
    cookies = {e.pk: session_cookie(e.owner_id) for e in drafts}
    busiest = (
        Entry.objects.filter(contest__slug="bench")
        .exclude(status="draft")
        .values("holder_id")
        .annotate(n=Count("id"))
        .order_by("-n")[: args.staff]
    )
    staff = [
        (
            b["holder_id"],
            session_cookie(
                RoleAssignment.objects.get(role="unit_staff", unit_id=b["holder_id"]).user_id
            ),
        )
        for b in busiest
    ]

    workdir = Path(tempfile.mkdtemp(prefix="cchc-deadline-"))
    files = []
    for size_mb in (5, 10, 15, 19.5):
        path = workdir / f"bai-{size_mb}.pdf"
        path.write_bytes(_valid_pdf(int(size_mb * MB)))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append((path, path.stat().st_size, digest))

    proxy = None if args.no_proxy else start_proxy(port=args.port + 1, upstream_port=args.port)
    portal = start_gunicorn(
        "config.wsgi:application", port=args.port, workers=args.workers, env=env
    )
    base = f"http://127.0.0.1:{args.port + 1 if proxy else args.port}"
    import psutil

    peak: dict[int, float] = {}
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            for child in psutil.Process(portal.pid).children():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    peak[child.pid] = max(peak.get(child.pid, 0.0), rss_mib(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors: list[str] = []
    uploads, submits, staff_reads = [], [], []
    expected: dict[int, tuple[int, str]] = {}
    spread = args.minutes * 60
    started = time.perf_counter()

    def entrant(i: int, entry) -> None:
        time.sleep(max(0.0, started + spread * i / len(drafts) - time.perf_counter()))
        session = requests.Session()
        session.headers["Cookie"] = f"sessionid={cookies[entry.pk]}"
        step = f"{base}/bai-du-thi/{entry.pk}/buoc/tep/"
        page = session.get(step, timeout=60)
        csrf = page.cookies.get("csrftoken")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.headers["Cookie"] += f"; csrftoken={csrf}"
        path, size, digest = files[i % len(files)]
        with path.open("rb") as handle:
            t0 = time.perf_counter()
            answer = session.post(
                step,
                data={"csrfmiddlewaretoken": token, "form": "written", "action": "next"},
                files={"main_document": (f"bài dự thi {entry.pk}.pdf", handle, "application/pdf")},
                allow_redirects=False,
                timeout=120,
            )
            uploads.append(time.perf_counter() - t0)
        if answer.status_code != 302:
            errors.append(f"upload {entry.pk}: {answer.status_code}")
            return
        expected[entry.pk] = (size, digest)
        t0 = time.perf_counter()
        answer = session.post(
            f"{base}/bai-du-thi/{entry.pk}/xem-lai/",
            data={"csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )
        submits.append(time.perf_counter() - t0)
        if answer.status_code != 302 or "bien-nhan" not in answer.headers.get("Location", ""):
            errors.append(f"submit {entry.pk}: {answer.status_code}")

    def unit_staff(unit_id: int, cookie: str) -> None:
        session = requests.Session()
        session.headers["Cookie"] = f"sessionid={cookie}"
        while time.perf_counter() - started < spread:
            t0 = time.perf_counter()
            answer = session.get(f"{base}/don-vi/{unit_id}/", timeout=60)
            staff_reads.append(time.perf_counter() - t0)
            if answer.status_code != 200:
                errors.append(f"dashboard {unit_id}: {answer.status_code}")
            time.sleep(1)

    try:
        with cf.ThreadPoolExecutor(max_workers=40) as pool:
            # Staff first: the pool runs jobs in order and entrants wait for their start.
            jobs = [pool.submit(unit_staff, u, c) for u, c in staff]
            jobs += [pool.submit(entrant, i, e) for i, e in enumerate(drafts)]
            for job in cf.as_completed(jobs):
                try:
                    job.result()
                except Exception as exc:  # a failed request is an error of the run
                    errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        sampling.set()
        stop(portal)
        if proxy is not None:
            os.killpg(proxy.pid, signal.SIGTERM)
    elapsed = time.perf_counter() - started

    from django.core.files.storage import storages

    lost = 0
    storage = storages.create_storage(
        {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        }
    )
    for entry in Entry.objects.filter(pk__in=expected).prefetch_related("files"):
        size, digest = expected[entry.pk]
        main = next((f for f in entry.files.all() if f.purpose == "main"), None)
        ok = (
            entry.status == "submitted"
            and main is not None
            and main.sha256 == digest
            and main.size == size
            and storage.exists(main.file.name)
            and storage.size(main.file.name) == size
        )
        lost += not ok
    out = {
        "machine": machine(),
        "entrants": len(drafts),
        "spread_s": spread,
        "proxy": "nginx (deploy/nginx/default.conf.template)" if proxy else "none",
        "elapsed_s": round(elapsed, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "lost_uploads": lost + (len(drafts) - len(expected)),
        "upload_mib_total": round(sum(expected[k][0] for k in expected) / MB, 1),
        "upload_p50_ms": _pct(uploads, 0.5),
        "upload_p95_ms": _pct(uploads, 0.95),
        "submit_p50_ms": _pct(submits, 0.5),
        "submit_p95_ms": _pct(submits, 0.95),
        "staff_dashboard_p95_ms": _pct(staff_reads, 0.95),
        "staff_dashboard_reads": len(staff_reads),
        "worker_peak_rss_mib": sorted(round(v, 1) for v in peak.values()),
        "mean_upload_s": round(statistics.mean(uploads), 2) if uploads else None,
    }
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
