"""Faults (issue 7, item 7): PostgreSQL goes away in the middle of submissions and uploads.

The shared PostgreSQL is never stopped: the portal (a gunicorn server, with a Redis server of
the test's own as cache and broker) reaches a fresh database through a TCP proxy
(faultkit.TcpProxy) that the test cuts. A cut drops what the portal sends from then on,
delivers what the server had already answered, closes every connection and refuses new ones,
as a stopped server would; the commits that reached PostgreSQL stand, the open transactions
are rolled back.

Three cuts: (a) during a final submission, at the last write of its transaction (the receipt
job); (b) during an upload, when the file is already in storage and its row is being
written; (c) while six uploads and two submissions are in flight together, at the third
file row. Every answer must be the 503 page (Vietnamese, Retry-After, no database needed) or
a success, never a 500 and never slower than 5 s; /healthz answers 503 while cut. After the
proxy resumes, the refused actions are repeated and succeed, and the database and the storage
agree: every stored file has its EntryFile row and every row its file, every entry is a draft
or a complete submission (tracking code, one "submitted" event, its authors, its receipt
job)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from config.middleware import DatabaseUnavailableMiddleware, server_error
from tests.security.faultkit import (
    Answer,
    Browser,
    PortalProcesses,
    RedisServer,
    TcpProxy,
    csrf_token_of,
    manage,
    portal_env,
    postgres_database,
    script,
)
from tests.security.report import figure_write
from tests.submissions.intake_support import DOCX_TYPE, docx_bytes

# One xdist worker runs both fault tests, one after the other (`make test` uses --dist
# loadgroup): each starts its own servers, and together they would crowd two cores.
pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

# As many as the server has threads (2 processes x 4): all really in flight at once.
UPLOADS_IN_FLIGHT = 6
SUBMITS_IN_FLIGHT = 2
SLOWEST_ALLOWED = 5.0
CUT_SECONDS = 1.0  # how long the database stays away after a cut
OUTBOX_INSERT = b'INSERT INTO "contest_outboxtask"'
FILE_INSERT = b'INSERT INTO "submissions_entryfile"'
SERVICE_UNAVAILABLE_TITLE = "Hệ thống tạm thời gián đoạn"


class Entrant:
    """An entrant with a session, on the review page (submit) or the files step (upload)."""

    def __init__(self, port: int, cookie: str, item: dict):
        self.entry = item["entry"]
        self.browser = Browser(port, {cookie: item["session"]})
        self.review_path = f"/bai-du-thi/{self.entry}/xem-lai/"
        self.files_path = f"/bai-du-thi/{self.entry}/buoc/tep/"
        self.token = ""

    def open(self, path: str) -> Answer:
        page = self.browser.get(path)
        self.token = csrf_token_of(page)
        return page

    def submit(self) -> Answer:
        return self.browser.post(self.review_path, {"csrfmiddlewaretoken": self.token})

    def upload(self) -> Answer:
        return self.browser.request(
            "POST",
            self.files_path,
            form={"csrfmiddlewaretoken": self.token, "form": "written", "action": "next"},
            files={"main_document": ("y-tuong.docx", DOCUMENT, DOCX_TYPE)},
        )


DOCUMENT = docx_bytes("Giải pháp liên thông hồ sơ đất đai giữa xã và huyện")


def _is_503_page(answer: Answer) -> bool:
    return (
        answer.status == 503
        and answer.headers.get("retry-after") == "60"
        and SERVICE_UNAVAILABLE_TITLE in answer.body
        and "portal-header" in answer.body
        and "Traceback" not in answer.body
    )


def _while_cut(port: int, entrant: Entrant) -> list[Answer]:
    """Requests that arrive while the database is away: a page that loads the session, the
    landing page, the health check."""
    visitor = Browser(port)
    return [entrant.browser.get(entrant.review_path), visitor.get("/"), visitor.get("/healthz")]


def _cut_submission(port: int, proxy: TcpProxy, entrant: Entrant) -> tuple[Answer, list[Answer]]:
    entrant.open(entrant.review_path)
    proxy.cut_on(OUTBOX_INSERT)
    answer = entrant.submit()
    assert proxy.cut_event.is_set()
    during = _while_cut(port, entrant)
    proxy.resume()
    return answer, during


def _cut_upload(port: int, proxy: TcpProxy, entrant: Entrant) -> tuple[Answer, list[Answer]]:
    entrant.open(entrant.files_path)
    proxy.cut_on(FILE_INSERT)
    answer = entrant.upload()
    assert proxy.cut_event.is_set()
    during = _while_cut(port, entrant)
    proxy.resume()
    return answer, during


def _cut_in_flight(
    port: int, proxy: TcpProxy, uploaders: list[Entrant], submitters: list[Entrant]
) -> tuple[list[tuple[Entrant, str, Answer]], list[Answer]]:
    """Uploads and submissions released together; the third file row cuts the database."""
    for entrant in uploaders:
        entrant.open(entrant.files_path)
    for entrant in submitters:
        entrant.open(entrant.review_path)
    actions = [(e, "upload") for e in uploaders] + [(e, "submit") for e in submitters]
    barrier = threading.Barrier(len(actions))

    def run(action: tuple[Entrant, str]) -> tuple[Entrant, str, Answer]:
        entrant, kind = action
        barrier.wait(timeout=30)
        return entrant, kind, entrant.upload() if kind == "upload" else entrant.submit()

    proxy.cut_on(FILE_INSERT, nth=3)
    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        futures = [pool.submit(run, action) for action in actions]
        assert proxy.cut_event.wait(timeout=60), "the third file row was never written"
        visitor = Browser(port)
        during = [visitor.get("/healthz"), visitor.get("/tra-cuu/")]
        time.sleep(CUT_SECONDS)
        proxy.resume()
        results = [future.result(timeout=60) for future in futures]
    return results, during


def _succeeded(kind: str, answer: Answer, entry: int) -> bool:
    if kind == "submit":
        return answer.status == 302 and answer.location == f"/bai-du-thi/{entry}/bien-nhan/"
    return answer.status == 302 and answer.location == f"/bai-du-thi/{entry}/buoc/don-vi/"


def test_postgres_cut_mid_submission_answers_503_and_leaves_nothing_half_written(tmp_path):
    redis_server = RedisServer(tmp_path / "redis")
    proxy = TcpProxy(("127.0.0.1", 5432))
    with postgres_database("cchc_fault_db") as name:
        direct = portal_env(tmp_path, database_url=f"postgres://postgres@127.0.0.1:5432/{name}")
        served = portal_env(
            tmp_path,
            # sslmode=disable: the proxy reads which statement is being sent.
            database_url=f"postgres://postgres@127.0.0.1:{proxy.port}/{name}?sslmode=disable",
            redis_url=redis_server.url(),
        )
        manage("migrate", "--noinput", "-v0", env=direct)
        data = script("prepare", str(1 + SUBMITS_IN_FLIGHT), str(1 + UPLOADS_IN_FLIGHT), env=direct)
        portal = PortalProcesses(env=served, logs=tmp_path / "logs")
        redis_server.start()
        try:
            portal.start_server()
            port, cookie = portal.port, data["cookie"]
            submitters = [Entrant(port, cookie, item) for item in data["ready"]]
            uploaders = [Entrant(port, cookie, item) for item in data["upload"]]

            submit_cut, during_submit = _cut_submission(port, proxy, submitters[0])
            after_submit_cut = script("facts", env=direct)
            upload_cut, during_upload = _cut_upload(port, proxy, uploaders[0])
            after_upload_cut = script("facts", env=direct)
            in_flight, during_flight = _cut_in_flight(port, proxy, uploaders[1:], submitters[1:])

            # The database is back: /healthz says so and every refused action succeeds now.
            healthy = Browser(port).get("/healthz")
            refused = [(submitters[0], "submit"), (uploaders[0], "upload")] + [
                (entrant, kind)
                for entrant, kind, answer in in_flight
                if not _succeeded(kind, answer, entrant.entry)
            ]
            retried = []
            for entrant, kind in refused:
                entrant.open(entrant.review_path if kind == "submit" else entrant.files_path)
                answer = entrant.submit() if kind == "submit" else entrant.upload()
                retried.append((entrant, kind, answer))
            final = script("facts", env=direct)
        except BaseException:
            print(portal.log_tail())
            raise
        finally:
            portal.stop()
            redis_server.stop()
            proxy.close()

    cut_answers = [submit_cut, upload_cut] + [answer for _e, _k, answer in in_flight]
    everything = cut_answers + during_submit + during_upload + during_flight
    server_errors = [str(a) for a in everything if a.status >= 500 and a.status != 503]
    slowest = max(a.seconds for a in everything)
    unavailable = [a for a in everything if a.status == 503]
    in_flight_refused = [a for _e, _k, a in in_flight if a.status == 503]
    in_flight_done = [a for e, k, a in in_flight if _succeeded(k, a, e.entry)]

    stored, rows = set(final["stored_files"]), set(final["file_rows"])
    orphans, missing = sorted(stored - rows), sorted(rows - stored)
    half_written = [
        e
        for e in final["entries"]
        if not (
            (
                e["status"] == "draft"
                and e["tracking_code"] is None
                and e["submitted_events"] == 0
                and e["receipt_jobs"] == 0
            )
            or (
                e["status"] == "submitted"
                and e["tracking_code"]
                and e["submitted_events"] == 1
                and e["authors"] >= 1
                and (e["receipt_jobs"] == 1 or e["tracking_code"] == data["lookup"]["code"])
            )
        )
    ]
    by_id = {e["id"]: e for e in final["entries"]}
    retried_ok = [a for e, k, a in retried if _succeeded(k, a, e.entry)]

    figure_write(
        "fault_database",
        title="Sự cố: PostgreSQL ngừng giữa lúc gửi bài, tải tệp",
        rows=[
            ("Lần cắt kết nối cơ sở dữ liệu", 3),
            ("Yêu cầu trong và quanh lúc cắt", len(everything)),
            ("Trả lời 503 (trang “tạm thời gián đoạn”)", len(unavailable)),
            ("Lỗi máy chủ 500", len(server_errors)),
            ("Yêu cầu chậm nhất (giây)", f"{slowest:.2f}"),
            (
                "Thao tác bị từ chối, làm lại thành công sau khi khôi phục",
                f"{len(retried_ok)}/{len(retried)}",
            ),
            ("Tệp mồ côi (có tệp, không có bản ghi)", len(orphans)),
            ("Bản ghi mất tệp", len(missing)),
            ("Bài ghi dở dang", len(half_written)),
        ],
        ok=not server_errors
        and slowest <= SLOWEST_ALLOWED
        and not orphans
        and not missing
        and not half_written
        and len(retried_ok) == len(retried),
    )

    # (a) The submission cut at its last write: a 503 page, and the entry is still a draft.
    assert _is_503_page(submit_cut), str(submit_cut)
    draft = {e["id"]: e for e in after_submit_cut["entries"]}[submitters[0].entry]
    assert (draft["status"], draft["tracking_code"], draft["submitted_events"]) == (
        "draft",
        None,
        0,
    )
    assert draft["receipt_jobs"] == 0
    # (b) The upload cut after its file was stored: a 503 page, and the file is gone again.
    assert _is_503_page(upload_cut), str(upload_cut)
    assert sorted(after_upload_cut["stored_files"]) == sorted(after_upload_cut["file_rows"])
    assert {e["id"]: e for e in after_upload_cut["entries"]}[uploaders[0].entry]["files"] == 0
    # While cut: the 503 page for pages (the session cannot load) and for /healthz.
    for answer in during_submit[:2] + during_upload[:2]:
        assert answer.status in (200, 503), str(answer)
        assert answer.status == 200 or _is_503_page(answer), str(answer)
    assert [a.status for a in (during_submit[0], during_upload[0])] == [503, 503]
    assert [a.status for a in (during_submit[2], during_upload[2], during_flight[0])] == [503] * 3
    # (c) In flight: each action either done or refused with the 503 page; some were refused.
    assert len(in_flight_done) + len(in_flight_refused) == UPLOADS_IN_FLIGHT + SUBMITS_IN_FLIGHT
    assert in_flight_refused
    assert all(_is_503_page(a) for a in in_flight_refused)
    # Never a server error, never a hang.
    assert server_errors == []
    assert slowest <= SLOWEST_ALLOWED, sorted(str(a) for a in everything if a.seconds > 2)
    # After the restart: healthy, every refused action done on the second try.
    assert healthy.status == 200
    assert len(retried_ok) == len(retried), [str(a) for _e, _k, a in retried]
    # Storage and database agree; nothing is half-written.
    assert orphans == []
    assert missing == []
    assert half_written == []
    assert all(by_id[e.entry]["status"] == "submitted" for e in submitters)
    assert all(by_id[e.entry]["files"] == 1 for e in uploaders)


def test_a_view_that_loses_the_database_gets_the_503_page_without_touching_it():
    # No database access is allowed in this test: rendering the page needs none.
    request = RequestFactory().post("/bai-du-thi/1/xem-lai/")
    middleware = DatabaseUnavailableMiddleware(lambda r: None)

    response = middleware.process_exception(request, OperationalError("server closed"))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<h1 class="h3">{SERVICE_UNAVAILABLE_TITLE}</h1>' in html
    assert "portal-header" in html
    assert middleware.process_exception(request, ValueError("other")) is None


def test_the_500_handler_answers_503_for_a_lost_database_and_500_otherwise():
    request = RequestFactory().get("/")
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError:
        lost = server_error(request)
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        bug = server_error(request)

    assert (lost.status_code, lost["Retry-After"]) == (503, "60")
    assert SERVICE_UNAVAILABLE_TITLE in lost.content.decode()
    assert bug.status_code == 500
    assert "Hệ thống đang gặp sự cố" in bug.content.decode()
