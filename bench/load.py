"""Latency under load: gunicorn (sync workers, production settings, DEBUG off) on the big
database, wrk with 16 connections on loopback for a bounded time per page, beside a bare
Django "hello" app measured in the same run.

    .venv/bin/python bench/load.py [--seconds 10] [--workers 4] [--port 8110] [--pages a,b]

Prints one JSON object: the machine, the hello figures, and per page rps, p50, p95, p99,
the ratio of its throughput to hello's, the status codes seen and worker memory."""

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import (
    BENCH_DB,
    ROOT,
    SLOW_PAGES,
    UNBOUNDED_PAGES,
    django_setup,
    key_pages,
    machine,
    rss_mib,
    session_cookie,
)

# Sessions made by the benches must be signed with the servers' key.
BENCH_SECRET_KEY = "bench-only-" + "k3y" * 20
os.environ["SECRET_KEY"] = BENCH_SECRET_KEY
LUA = str(Path(__file__).with_name("wrk_report.lua"))
STATIC_ROOT = ROOT / "var" / "bench" / "static"


def portal_env(database_url: str, *, redis_db: int = 5) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=BENCH_SECRET_KEY,
        EMAIL_URL="smtp://127.0.0.1:1025",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(STATIC_ROOT),
        CONN_MAX_AGE="60",
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        LOG_LEVEL="WARNING",
    )
    return env


def collectstatic(env: dict) -> None:
    if (STATIC_ROOT / "staticfiles.json").exists():
        return  # collected by an earlier run (delete var/bench/static after a CSS change)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_gunicorn(app: str, *, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process  # it answers (hello has no /healthz)
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError(f"gunicorn {app} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def workers_rss(process: subprocess.Popen) -> list[float]:
    import psutil

    return [round(rss_mib(c.pid), 1) for c in psutil.Process(process.pid).children()]


def wrk(url: str, *, seconds: int, connections: int = 16, headers=(), body: str = "") -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA]
    for header in headers:
        command += ["-H", header]
    env = dict(os.environ, WRK_BODY=body)
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, env=env, timeout=seconds + 60
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {done.stdout} {done.stderr}")
    return json.loads(line[len("WRKJSON ") :])


def drain(base: str, *, quick_s: float = 0.05, limit_s: float = 120) -> None:
    """Wait until the server answers /healthz quickly again: when wrk stops, the requests it
    left queued in gunicorn's backlog are still served, and a slow page's backlog would be
    counted against the next page."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/healthz", timeout=limit_s).read()  # noqa: S310
        if time.monotonic() - started < quick_s:
            return
        time.sleep(0.2)


def csrf_for(url: str) -> tuple[str, str]:
    """A csrftoken cookie and a matching form token, as a browser gets them."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        cookies = response.headers.get_all("Set-Cookie") or []
        html = response.read().decode()
    cookie = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookie, token


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", BENCH_DB))
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    args = parser.parse_args(argv)

    env = portal_env(args.database_url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL")})
    django_setup()
    pages = key_pages()
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p.name in wanted]
    else:
        pages = [p for p in pages if p.name not in UNBOUNDED_PAGES + SLOW_PAGES]
    cookies = {p.user_id: session_cookie(p.user_id) for p in pages if p.user_id is not None}
    collectstatic(env)
    base = f"http://127.0.0.1:{args.port}"
    out: dict = {"machine": machine(), "workers": args.workers, "seconds": args.seconds}

    hello = start_gunicorn(
        "bench.hello_wsgi:application",
        port=args.port,
        workers=args.workers,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        wrk(base + "/", seconds=2)  # warm
        out["hello"] = wrk(base + "/", seconds=args.seconds)
    finally:
        stop(hello)

    portal = start_gunicorn(
        "config.wsgi:application", port=args.port, workers=args.workers, env=env
    )
    results = {}
    try:
        for page in pages:
            headers, body = [], ""
            if page.user_id is not None:
                headers.append(f"Cookie: sessionid={cookies[page.user_id]}")
            if page.method == "POST":
                cookie, token = csrf_for(base + page.path)
                headers = [f"Cookie: csrftoken={cookie}"]
                body = urllib.parse.urlencode({**page.body, "csrfmiddlewaretoken": token})
            drain(base)
            wrk(base + page.path, seconds=2, headers=headers, body=body)  # warm every worker
            drain(base)
            figures = wrk(base + page.path, seconds=args.seconds, headers=headers, body=body)
            figures["ratio_to_hello"] = round(figures["rps"] / out["hello"]["rps"], 3)
            figures["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
            results[page.name] = figures
            print(page.name, figures, file=sys.stderr, flush=True)
        out["worker_rss_mib"] = workers_rss(portal)
    finally:
        stop(portal)
    out["pages"] = results
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
