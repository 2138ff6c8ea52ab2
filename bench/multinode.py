"""Beyond one machine: two gunicorn processes on two ports and two Celery workers sharing
PostgreSQL, Redis (db 5) and S3-compatible storage (moto server on loopback). Checks that
whichever process serves a request, the user's session, uploads and certificates work:

1. sign in through the login form on A, continue on B (same session);
2. upload a Word document on A, download it from B (same bytes); the text extraction task
   runs on one of the Celery workers, which reads the file from the bucket;
3. issue the certificates on A; the two workers render the PDFs into the bucket; download
   one from B and one from A;
4. wrk on both ports at once for the landing page and a unit dashboard (combined rps).

    .venv/bin/python bench/multinode.py [--ports 8110,18110] [--s3-port 18115]
"""

import argparse
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import ROOT, django_setup, machine, session_cookie
from load import portal_env, start_gunicorn, stop, wrk

BUCKET = "cchc-bench"


def _cookie(response, name: str) -> str | None:
    """Our cookies are Secure (production): read Set-Cookie ourselves over loopback HTTP."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header.split(";")[0].split("=", 1)[1]
    return None


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _both(a: str, b: str, path: str, *, seconds: int, headers: list[str]) -> dict:
    """wrk on both nodes at the same time."""
    results: dict = {}

    def one(node: str) -> None:
        results[node] = wrk(node + path, seconds=seconds, headers=headers)

    threads = [threading.Thread(target=one, args=(node,)) for node in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", default="8110,18110")
    parser.add_argument("--s3-port", type=int, default=18115)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args(argv)
    port_a, port_b = (int(p) for p in args.ports.split(","))

    import boto3
    import requests
    from moto.server import ThreadedMotoServer

    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=args.s3_port)
    s3.start()
    endpoint = f"http://127.0.0.1:{args.s3_port}"
    env = portal_env(os.environ.get("DATABASE_URL", ""))
    env.update(
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench-secret",  # noqa: S106 (moto on loopback)
    )
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",  # noqa: S106
    ).create_bucket(Bucket=BUCKET)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    django_setup()
    from contest.models import Contest, RoleAssignment
    from submissions.models import Entry

    contest = Contest.objects.get(slug="bench")
    out: dict = {"machine": machine(), "checks": {}}
    checks = out["checks"]
    logs = Path(tempfile.mkdtemp(prefix="cchc-multinode-"))
    processes = []
    try:
        for name in ("w1", "w2"):
            processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("celery")),
                        "-A",
                        "config",
                        "worker",
                        "--pool=solo",
                        "-n",
                        f"{name}@bench",
                        "-l",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                    start_new_session=True,
                    stdout=(logs / f"{name}.log").open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
        node_a = start_gunicorn("config.wsgi:application", port=port_a, workers=2, env=env)
        node_b = start_gunicorn("config.wsgi:application", port=port_b, workers=2, env=env)
        processes += [node_a, node_b]
        a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"

        # 1. Sign in on A, continue on B.
        draft = Entry.objects.filter(contest=contest, status="draft").order_by("-pk").first()
        email = draft.owner.email
        login = requests.get(f"{a}/tai-khoan/login/", timeout=30, stream=True)
        csrf = _cookie(login, "csrftoken")
        answer = requests.post(
            f"{a}/tai-khoan/login/",
            data={
                "login": email,
                "password": "bench-cchc-2026",
                "csrfmiddlewaretoken": _token(login.text),
            },
            headers={"Cookie": f"csrftoken={csrf}"},
            allow_redirects=False,
            timeout=30,
            stream=True,
        )
        session = _cookie(answer, "sessionid")
        jar = f"sessionid={session}; csrftoken={_cookie(answer, 'csrftoken') or csrf}"
        on_b = requests.get(
            f"{b}/bai-du-thi/", headers={"Cookie": jar}, allow_redirects=False, timeout=30
        )
        checks["login_on_a_session_on_b"] = (
            answer.status_code == 302
            and session is not None
            and on_b.status_code == 200
            and email.split("@")[0] not in ("",)
        )

        # 2. Upload on A, download from B; extraction by a Celery worker from the bucket.
        step = f"/bai-du-thi/{draft.pk}/buoc/tep/"
        page = requests.get(a + step, headers={"Cookie": jar}, timeout=30)
        text = "Giải pháp một cửa liên thông điện tử ở xã biên giới Lạng Sơn"
        content = _docx(text)
        docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        answer = requests.post(
            a + step,
            data={"csrfmiddlewaretoken": _token(page.text), "form": "written", "action": "save"},
            files={"main_document": ("bài dự thi.docx", content, docx_type)},
            headers={"Cookie": jar},
            allow_redirects=False,
            timeout=60,
        )
        stored = draft.files.filter(purpose="main").order_by("-pk").first()
        download = requests.get(
            f"{b}/bai-du-thi/tep/{stored.pk}/", headers={"Cookie": jar}, timeout=30
        )
        checks["upload_on_a_download_on_b"] = (
            answer.status_code == 302 and download.content == content
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            stored.refresh_from_db()
            if stored.extracted_text:
                break
            time.sleep(1)
        checks["text_extracted_by_worker_from_bucket"] = stored.extracted_text == text

        # 3. Certificates: issued on A, rendered by the two workers, downloaded from B and A.
        organizer = RoleAssignment.objects.get(contest=contest, role="organizer").user_id
        org_jar = f"sessionid={session_cookie(organizer)}"
        dash = requests.get(
            f"{a}/ban-to-chuc/{contest.pk}/giai-thuong/",
            headers={"Cookie": org_jar},
            timeout=60,
            stream=True,
        )
        org_csrf = _cookie(dash, "csrftoken")
        org_jar += f"; csrftoken={org_csrf}"
        started = time.perf_counter()
        requests.post(
            f"{a}/ban-to-chuc/{contest.pk}/bang-khen/tao/",
            data={"csrfmiddlewaretoken": _token(dash.text)},
            headers={"Cookie": org_jar},
            allow_redirects=False,
            timeout=120,
        )
        progress: dict = {}
        deadline = time.time() + 180
        while time.time() < deadline:
            progress = requests.get(
                f"{b}/ban-to-chuc/{contest.pk}/bang-khen/tien-do.json",
                headers={"Cookie": org_jar},
                timeout=30,
            ).json()
            if progress.get("total") and progress.get("done") is True:
                break
            time.sleep(1)
        out["certificates"] = {**progress, "seconds": round(time.perf_counter() - started, 1)}
        from awards.models import Certificate

        ids = list(
            Certificate.objects.filter(award__award_set__contest=contest)
            .exclude(pdf="")
            .order_by("pk")
            .values_list("pk", flat=True)[:2]
        )
        pdfs = [
            requests.get(
                f"{node}/ban-to-chuc/{contest.pk}/bang-khen/tep/{pk}.pdf",
                headers={"Cookie": org_jar},
                timeout=30,
            ).content[:5]
            for node, pk in zip((b, a), ids, strict=False)
        ]
        checks["certificates_rendered_by_workers_served_by_both"] = len(pdfs) == 2 and all(
            p == b"%PDF-" for p in pdfs
        )
        # 4. Load on both nodes at once.
        staff = RoleAssignment.objects.filter(contest=contest, role="unit_staff").first()
        staff_cookie = f"Cookie: sessionid={session_cookie(staff.user_id)}"
        combined = {}
        for name, path, headers in (
            ("landing", "/", []),
            ("unit_dashboard", f"/don-vi/{staff.unit_id}/", [staff_cookie]),
        ):
            results = _both(a, b, path, seconds=args.seconds, headers=headers)
            combined[name] = {
                "rps_total": round(sum(r["rps"] for r in results.values()), 1),
                "p95_ms": max(r["p95_ms"] for r in results.values()),
                "statuses": [r["statuses"] for r in results.values()],
            }
        out["load_two_nodes"] = combined
    finally:
        for process in processes:
            if isinstance(process, subprocess.Popen) and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    stop(process)
        s3.stop()
    out["all_ok"] = all(checks.values())
    print(json.dumps(out, ensure_ascii=False, default=str))
    return out


if __name__ == "__main__":
    urllib.request.getproxies = dict  # loopback only
    main()
