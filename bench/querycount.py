"""Queries per key page, measured in-process with CaptureQueriesContext, plus the time of
one warm request (and of the first, cold one). Run it against the small and the big
database and compare: a page whose count grows with the data has an N+1.

    DATABASE_URL=<db> .venv/bin/python bench/querycount.py > counts.json
"""

import json
import os
import sys
import time

from common import django_setup, key_pages, machine

os.environ.setdefault("DEBUG", "false")


def main() -> dict:
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contest.models import Contest
    from submissions.models import Entry

    contest = Contest.objects.get(slug="bench")
    out = {
        "machine": machine(),
        "entries": Entry.objects.filter(contest=contest).count(),
        "pages": {},
    }
    clients: dict[int | None, Client] = {}
    skip = set(filter(None, os.environ.get("BENCH_SKIP_PAGES", "").split(",")))
    for page in key_pages():
        if page.name in skip:
            continue
        client = clients.get(page.user_id)
        if client is None:
            client = clients[page.user_id] = Client(SERVER_NAME="127.0.0.1")
            if page.user_id is not None:
                from django.contrib.auth import get_user_model

                client.force_login(get_user_model().objects.get(pk=page.user_id))
        call = client.post if page.method == "POST" else client.get
        started = time.perf_counter()
        call(page.path, page.body or {})  # warm: caches, compiled templates
        cold = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = call(page.path, page.body or {})
            elapsed = time.perf_counter() - started
        out["pages"][page.name] = {
            "path": page.path,
            "status": response.status_code,
            "queries": len(queries),
            "ms": round(elapsed * 1000, 1),
            # the first request: compiles templates, fills the caches (e.g. judging totals)
            "cold_ms": round(cold * 1000, 1),
            "bytes": len(response.content),
        }
        print(page.name, out["pages"][page.name], file=sys.stderr, flush=True)
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
