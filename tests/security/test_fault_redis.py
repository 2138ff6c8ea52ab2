"""Faults (issue 7, item 7): Redis dies while 200 entrants submit, and nothing is lost.

The portal runs as in production: a gunicorn server (2 processes, 4 threads each) and a real
Celery worker, with Redis as cache and broker, against a Redis server of the test's own
(never the shared one). A few receipts go out first, so the server holds live connections to
Redis; then Redis is killed (SIGKILL, no persistence) and 200 entrants make their final
submission over HTTP, each with their own session: the review page, the submit, the receipt
page. Every submission must be saved and confirmed, no request may take more than 5 s, and
each receipt e-mail waits in the outbox (contest/outbox.py). Redis comes back empty on the
same port, `manage.py outbox_flush` runs (what Celery beat does every minute), and the
worker, which rode out the outage and reconnected, sends each receipt exactly once.
Meanwhile the landing page, the public look-up (its rate limit fails open) and a real sign-in
(django-axes, allauth's rate limits) keep working on the degraded cache (config/cache.py);
only /healthz reports Redis down."""

import email
import email.header
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import cache as degrading
from config.cache import DegradingRedisCache
from tests.security.faultkit import (
    Answer,
    Browser,
    PortalProcesses,
    RedisServer,
    csrf_token_of,
    manage,
    portal_database,
    portal_env,
    script,
)
from tests.security.report import figure_write

# One xdist worker runs both fault tests, one after the other (`make test` uses --dist
# loadgroup): each starts its own servers, and together they would crowd two cores.
pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

SUBMISSIONS = 200
WARM_UP = 8  # receipts sent while Redis is up, so the server holds live broker connections
CLIENTS = 4  # entrants submitting at the same moment
SLOWEST_ALLOWED = 5.0
RECEIPT_TASK = "submissions.tasks.task_send_receipt"
TRACKING_CODE = re.compile(r"\bCC\d{2}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


def _submit(port: int, cookie: str, item: dict) -> list[Answer]:
    """An entrant's final submission as a browser makes it: the review page (for the CSRF
    token), the submit, and the receipt page it is sent on to."""
    browser = Browser(port, {cookie: item["session"]})
    review_path = f"/bai-du-thi/{item['entry']}/xem-lai/"
    review = browser.get(review_path)
    if review.status != 200:
        return [review]
    submit = browser.post(review_path, {"csrfmiddlewaretoken": csrf_token_of(review)})
    if submit.status != 302:
        return [review, submit]
    return [review, submit, browser.get(submit.location)]


def _submit_all(port: int, cookie: str, items: list[dict]) -> list[list[Answer]]:
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(lambda item: _submit(port, cookie, item), items))


def _confirmed(answers: list[Answer], entry_id: int) -> bool:
    return (
        len(answers) == 3
        and answers[1].status == 302
        and answers[1].location == f"/bai-du-thi/{entry_id}/bien-nhan/"
        and answers[2].status == 200
        and "Đã gửi bài dự thi" in answers[2].body
    )


def _public_requests_during_outage(port: int, data: dict) -> dict[str, Answer]:
    """What visitors and a returning user do while Redis is down."""
    visitor = Browser(port)
    answers = {"landing": visitor.get("/")}
    token = csrf_token_of(visitor.get("/tra-cuu/"))
    for attempt in range(3):
        answers[f"lookup_wrong_{attempt}"] = visitor.post(
            "/tra-cuu/",
            {"csrfmiddlewaretoken": token, "code": "CC25-KHON-GCO1", "phone_last4": "0000"},
        )
    answers["lookup"] = visitor.post(
        "/tra-cuu/", {"csrfmiddlewaretoken": token, **data["lookup_form"]}
    )
    member = Browser(port)
    answers["login"] = member.post(
        "/tai-khoan/login/",
        {
            "csrfmiddlewaretoken": csrf_token_of(member.get("/tai-khoan/login/")),
            "login": data["login"]["email"],
            "password": data["login"]["password"],
        },
    )
    answers["after_login"] = member.get("/tai-khoan/bai-du-thi/")
    answers["healthz"] = visitor.get("/healthz")
    return answers


def _mailed_codes(mail_dir: Path) -> Counter:
    """Tracking codes in the subjects of the receipt e-mails the worker wrote (Django's file
    backend: one file per connection, messages separated by a line of 79 dashes)."""
    codes: Counter = Counter()
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n"):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.lstrip("\n"))
            subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
            if subject.startswith("Biên nhận bài dự thi"):
                codes.update(TRACKING_CODE.findall(subject))
    return codes


def _wait_for(condition, *, timeout: float, what: str, portal: PortalProcesses):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout} s\n{portal.log_tail()}")
        time.sleep(1)


def _receipts_pending(facts: dict) -> int:
    return sum(row["pending"] for row in facts["outbox"] if row["task"] == RECEIPT_TASK)


def test_redis_outage_during_200_submissions_saves_confirms_and_mails_each_once(tmp_path):
    redis_server = RedisServer(tmp_path / "redis")
    with portal_database(tmp_path, "cchc_fault_redis") as database_url:
        offline = portal_env(tmp_path, database_url=database_url)
        online = portal_env(tmp_path, database_url=database_url, redis_url=redis_server.url())
        manage("migrate", "--noinput", "-v0", env=offline)
        data = script("prepare", str(WARM_UP + SUBMISSIONS), "0", env=offline)
        data["lookup_form"] = {
            "code": data["lookup"]["code"],
            "phone_last4": data["lookup"]["phone_last4"],
        }
        warm_up, during = data["ready"][:WARM_UP], data["ready"][WARM_UP:]
        submitted = {item["entry"] for item in data["ready"]}
        portal = PortalProcesses(env=online, logs=tmp_path / "logs")
        redis_server.start()
        try:
            portal.start_server()
            portal.start_worker()
            warm_answers = _submit_all(portal.port, data["cookie"], warm_up)
            assert all(
                _confirmed(a, i["entry"]) for a, i in zip(warm_answers, warm_up, strict=True)
            )
            _wait_for(
                lambda: all(
                    e["receipt_sent"]
                    for e in script("facts", env=offline)["entries"]
                    if e["id"] in {i["entry"] for i in warm_up}
                ),
                timeout=60,
                what="warm-up receipts sent",
                portal=portal,
            )

            # Redis dies (the worker stays up, retrying); 200 entrants submit.
            redis_server.kill()
            outage_started = time.monotonic()
            outage_answers = _submit_all(portal.port, data["cookie"], during)
            outage_seconds = time.monotonic() - outage_started
            public = _public_requests_during_outage(portal.port, data)
            during_outage = script("facts", env=offline)
            worker_survived = portal.worker.poll() is None

            # Redis comes back, empty, on the same port; the flush that Celery beat runs every
            # minute sends what waited, and the worker, reconnected, runs it.
            redis_server.start()
            recovery_started = time.monotonic()
            manage("outbox_flush", env=online)
            recovered = _wait_for(
                lambda: (
                    facts
                    if (facts := script("facts", env=offline))
                    and _receipts_pending(facts) == 0
                    and all(e["receipt_sent"] for e in facts["entries"] if e["id"] in submitted)
                    else None
                ),
                timeout=300,
                what="every receipt sent after Redis returned",
                portal=portal,
            )
            recovery_seconds = time.monotonic() - recovery_started
            portal.stop_worker()
        finally:
            portal.stop()
            redis_server.stop()

    by_id = {e["id"]: e for e in during_outage["entries"]}
    outage_ids = [item["entry"] for item in during]
    requests = [answer for answers in outage_answers for answer in answers]
    saved = [
        i
        for i in outage_ids
        if by_id[i]["status"] == "submitted"
        and by_id[i]["tracking_code"]
        and by_id[i]["submitted_events"] == 1
        and by_id[i]["authors"] == 1
    ]
    confirmed = [
        item["entry"]
        for answers, item in zip(outage_answers, during, strict=True)
        if _confirmed(answers, item["entry"])
    ]
    server_errors = [a for a in requests + list(public.values()) if a.status >= 500]
    slowest = max(a.seconds for a in requests + list(public.values()))
    pending_during = _receipts_pending(during_outage)
    outage_codes = {by_id[i]["tracking_code"] for i in outage_ids}
    mailed = _mailed_codes(tmp_path / "mail")
    mailed_once = [code for code in outage_codes if mailed[code] == 1]
    pending_after = sum(row["pending"] for row in recovered["outbox"])
    losses = SUBMISSIONS - len(mailed_once)

    figure_write(
        "fault_redis",
        title="Sự cố: Redis ngừng trong lúc 200 bài được gửi",
        rows=[
            ("Bài gửi trong lúc Redis ngừng", SUBMISSIONS),
            ("Bài đã lưu (đã gửi, có mã, có nhật ký)", len(saved)),
            ("Bài được xác nhận (trang biên nhận 200)", len(confirmed)),
            (
                "Lỗi máy chủ (5xx), trừ /healthz",
                len([a for a in server_errors if a is not public["healthz"]]),
            ),
            ("Yêu cầu chậm nhất (giây)", f"{slowest:.2f}"),
            ("Thời gian gửi 200 bài (giây)", f"{outage_seconds:.1f}"),
            ("Việc chờ trong outbox khi Redis ngừng", pending_during),
            ("Tiến trình Celery worker vượt qua sự cố", "có" if worker_survived else "không"),
            ("Thư biên nhận gửi đúng một lần sau khi Redis trở lại", len(mailed_once)),
            ("Việc còn chờ sau khi khôi phục", pending_after),
            (
                "Thời gian từ khi Redis trở lại đến khi gửi xong thư (giây)",
                f"{recovery_seconds:.0f}",
            ),
            ("Mất mát", losses),
        ],
        ok=len(saved) == len(confirmed) == len(mailed_once) == SUBMISSIONS
        and slowest <= SLOWEST_ALLOWED
        and pending_after == 0
        and worker_survived,
    )

    assert len(saved) == SUBMISSIONS
    assert len(confirmed) == SUBMISSIONS, [
        [(a.status, a.location) for a in answers]
        for answers, item in zip(outage_answers, during, strict=True)
        if not _confirmed(answers, item["entry"])
    ][:5]
    assert len(outage_codes) == SUBMISSIONS
    assert slowest <= SLOWEST_ALLOWED, [
        f"{a} at +{a.started - outage_started:.1f} s"
        for a in sorted(requests, key=lambda a: a.seconds)[-5:]
    ]
    assert pending_during == SUBMISSIONS
    assert worker_survived
    # Visitors and sign-in work with the cache down; only /healthz reports Redis.
    assert public["landing"].status == 200
    assert [public[f"lookup_wrong_{n}"].status for n in range(3)] == [200, 200, 200]
    assert "Không tìm thấy bài dự thi" in public["lookup_wrong_0"].body
    assert public["lookup"].status == 200
    assert data["lookup"]["code"] in public["lookup"].body
    assert public["login"].status == 302
    assert public["after_login"].status == 200
    assert "Đăng xuất" in public["after_login"].body  # signed in
    assert public["healthz"].status == 503
    assert [a for a in server_errors if a is not public["healthz"]] == []
    # After recovery: every receipt exactly once, nothing left waiting.
    assert sorted(c for c in outage_codes if mailed[c] != 1) == []
    assert sum(mailed[c] for c in outage_codes) == SUBMISSIONS
    assert pending_after == 0
    assert losses == 0


def test_degrading_cache_answers_as_empty_while_redis_is_down_and_recovers(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(degrading, "DEGRADED_SECONDS", 0.5)
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        cache = DegradingRedisCache(
            server.url(), {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
        )
        cache.set("page", "html")
        assert cache.get("page") == "html"

        server.kill()
        with caplog.at_level("WARNING", logger="config.cache"):
            assert cache.get("page", "miss") == "miss"
            assert cache.get_many(["page", "other"]) == {}
            assert cache.has_key("page") is False
            assert cache.add("lock", True) is True  # a lock is granted, not waited for
            assert cache.set("page", "new") is None
            assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
            assert cache.delete("page") is False
            cache.delete_many(["a", "b"])
            assert cache.touch("page") is False
            with pytest.raises(ValueError):
                cache.incr("failures")
            assert cache.get_or_set("computed", lambda: 42) == 42
        assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
            "cache: Redis unreachable during get"
        ]

        server.start()  # the same port, empty
        time.sleep(0.6)
        cache.set("page", "again")
        assert cache.get("page") == "again"
        assert cache.add("counter", 1) is True
        assert cache.incr("counter") == 2
    finally:
        server.stop()
