"""Shared pieces of the fault tests (issue 7, item 7): a Redis server of the test's own, a TCP
proxy that can cut the portal off PostgreSQL, the portal as a real gunicorn server and a real
Celery worker in their own processes, a small HTTP client, and scripts that run inside the
portal's Django (`python -m tests.security.faultkit <command>`) to prepare data with the test
factories and to read back what was stored.

The shared Redis (6379) and PostgreSQL (5432) are never stopped: Redis is a server of the
test's own on a free port, and PostgreSQL is cut by the proxy in front of it."""

import contextlib
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.processes import ROOT, closed_port, django_env

SETTINGS = "tests.security.fault_settings"
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}
VENV_BIN = Path(sys.executable).parent


# --- processes ------------------------------------------------------------------------------


def _stop(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _wait_port(port: int, *, timeout: float, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


class RedisServer:
    """`redis-server` on a free port, without persistence: kill() is an outage (everything it
    held is gone), start() again on the same port is Redis coming back empty."""

    def __init__(self, workdir: Path):
        self.port = closed_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(self.port, timeout=10, process=self.process, what="redis-server")

    def kill(self) -> None:
        """SIGKILL, as a crash: no shutdown, connections drop."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()


@dataclass
class PortalProcesses:
    """The gunicorn server and the Celery worker of one test, with their logs."""

    env: dict[str, str]
    logs: Path
    port: int = field(default_factory=closed_port)
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    def start_server(self, *, workers: int = 2, threads: int = 4) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "tests.security.fault_wsgi:application",
                "--preload",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=(self.logs / "server.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        _wait_port(self.port, timeout=60, process=self.server, what="gunicorn")
        # Listening is the arbiter; wait until a worker answers.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if http_request(self.port, "GET", "/healthz", timeout=10).status in (200, 503):
                    return
            time.sleep(0.2)
        raise RuntimeError("the portal server did not answer /healthz")

    def start_worker(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.worker = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
                "--hostname",
                f"faults-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=(self.logs / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )

    def stop_worker(self) -> None:
        """A warm shutdown (SIGTERM): the worker finishes its task and leaves."""
        _stop(self.worker, timeout=30)
        self.worker = None

    def stop(self) -> None:
        _stop(self.worker)
        _stop(self.server)

    def log_tail(self, lines: int = 60) -> str:
        out = []
        for name in ("server.log", "worker.log"):
            path = self.logs / name
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"--- {name} ---\n" + "\n".join(text))
        return "\n".join(out)


def portal_env(tmp_path: Path, *, database_url: str, redis_url: str = "") -> dict[str, str]:
    """The environment of the portal processes: files (media, mail) under tmp_path; with
    `redis_url` Redis is the cache and the broker, without it jobs run inline."""
    variables = {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", "DEBUG": "false"}
    if redis_url:
        variables["REDIS_URL"] = redis_url
    return django_env(tmp_path, SETTINGS, **variables)


def script(command: str, *args: str, env: dict[str, str], timeout: float = 300) -> object:
    """Run `command` of this module's CLI in the portal's Django; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.security.faultkit", command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"faultkit {command} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


# --- databases ------------------------------------------------------------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(**PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def postgres_database(prefix: str):
    """A fresh PostgreSQL database on the shared server (127.0.0.1:5432), dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def portal_database(tmp_path: Path, prefix: str):
    """The database of the portal processes: PostgreSQL when the suite runs on PostgreSQL
    (DATABASE_URL), else a SQLite file. Yields its URL."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        with postgres_database(prefix) as name:
            yield f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"


# --- TCP proxy ------------------------------------------------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:<port> to `target` (PostgreSQL) until cut.

    cut() stops forwarding what clients send at once, delivers for `grace` seconds what the
    server already answered (a commit it received is acknowledged), then closes every
    connection; while cut, new connections are accepted and closed at once (as a stopped
    server). cut_on(pattern, nth) cuts when a client sends the nth message containing
    `pattern` (for example an INSERT of a given table), before it reaches the server.
    resume() lets connections through again."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432), *, grace: float = 0.3):
        self.target = target
        self.grace = grace
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[tuple[socket.socket, socket.socket]] = set()
        self._cut_at: float | None = None
        self._trigger: tuple[bytes, int] | None = None
        self._closed = False
        self.refused = 0
        self.connections = 0
        self.cut_event = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    # control
    def cut(self) -> None:
        with self._lock:
            self._cut_now()

    def cut_on(self, pattern: bytes, nth: int = 1) -> None:
        with self._lock:
            self._trigger = (pattern, nth)

    def resume(self) -> None:
        deadline = time.monotonic() + 10
        while self._open and time.monotonic() < deadline:
            time.sleep(0.05)
        with self._lock:
            self._cut_at = None
            self._trigger = None
            self.cut_event.clear()

    @property
    def is_cut(self) -> bool:
        return self._cut_at is not None

    def close(self) -> None:
        self._closed = True
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            pairs = list(self._open)
        for pair in pairs:
            self._close_pair(pair)

    # internals
    def _cut_now(self) -> None:  # with the lock held
        if self._cut_at is None:
            self._cut_at = time.monotonic()
            self._trigger = None
            self.cut_event.set()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.is_cut:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            with self._lock:
                self._open.add(pair)
                self.connections += 1
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _close_pair(self, pair) -> None:
        with self._lock:
            self._open.discard(pair)
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.close()

    def _from_client(self, data: bytes) -> bool:
        """Whether `data` from a client may go on to the server."""
        with self._lock:
            if self._cut_at is not None:
                return False
            if self._trigger and self._trigger[0] in data:
                pattern, nth = self._trigger
                if nth <= 1:
                    self._cut_now()
                    return False
                self._trigger = (pattern, nth - 1)
            return True

    def _pump(self, pair) -> None:
        client, upstream = pair
        try:
            while not self._closed:
                cut_at = self._cut_at
                if cut_at is not None and time.monotonic() - cut_at >= self.grace:
                    return
                readable, _w, _x = select.select([client, upstream], [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        if self._from_client(data):
                            upstream.sendall(data)
                    else:
                        client.sendall(data)
        except OSError:
            return
        finally:
            self._close_pair(pair)


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Answer:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: str
    started: float  # time.monotonic() when the request began
    seconds: float
    cookies: dict[str, str]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} in {self.seconds:.2f} s"

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request to the portal on loopback, timed from connect to the last byte."""
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if files:
        boundary = f"faults{uuid.uuid4().hex}"
        parts = []
        for name, value in (form or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data, content_type) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    began = time.monotonic()
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        set_cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                set_cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(
            method=method,
            path=path,
            status=response.status,
            started=began,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=data.decode("utf-8", errors="replace"),
            seconds=seconds,
            cookies=set_cookies,
        )
    finally:
        connection.close()


class Browser:
    """One visitor: keeps the cookies the portal sets (session, CSRF, messages)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, **kwargs) -> Answer:
        answer = http_request(self.port, method, path, cookies=self.cookies, **kwargs)
        for name, value in answer.cookies.items():
            if value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict[str, str], **kwargs) -> Answer:
        return self.request("POST", path, form=form, **kwargs)


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token_of(answer: Answer) -> str:
    found = _CSRF_INPUT.search(answer.body)
    if not found:
        raise AssertionError(f"no CSRF token in the page (HTTP {answer.status})")
    return found.group(1)


# --- scripts run inside the portal's Django -------------------------------------------------


def _prepare(entrants: int, uploads: int) -> dict:
    """An open contest with one unit; `entrants` owners with a draft that passes every rule
    of submission (checked with services.entry_problems) and a session each; `uploads` owners
    whose draft lacks only its main document; a verified account with a known password; a
    submitted entry for the public look-up. Built with the test factories in one go."""
    import hashlib

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile

    from submissions import files as filecheck
    from submissions.enums import EntryForm, FilePurpose
    from submissions.models import EntryFile
    from submissions.services import entry_problems, text_key
    from tests.factories import AuthorFactory, EntryFactory, UnitFactory, UserFactory, submit_entry
    from tests.submissions.intake_support import DOCX_TYPE, docx_bytes, open_contest

    contest = open_contest()
    unit = UnitFactory(contest=contest, name="Sở Nội vụ")
    document = docx_bytes("Giải pháp tiếp nhận hồ sơ một cửa trực tuyến cấp xã")

    def draft(owner, title: str, *, with_document: bool):
        entry = EntryFactory(
            contest=contest,
            unit=unit,
            holder=unit,
            owner=owner,
            title=title,
            title_key=text_key(title),
            summary="Tóm tắt ý tưởng.",
            problem="Người dân phải đi lại nhiều lần.",
            solution="Tiếp nhận hồ sơ trực tuyến.",
            expected_effect="Giảm thời gian giải quyết.",
            form=EntryForm.WRITTEN,
            declaration_accepted=True,
            consent_accepted=True,
        )
        name = owner.full_name
        AuthorFactory(entry=entry, full_name=name, name_key=text_key(name), email=owner.email)
        if with_document:
            stored = EntryFile(
                entry=entry,
                purpose=FilePurpose.MAIN,
                original_name="bai-du-thi.docx",
                size=len(document),
                sha256=hashlib.sha256(document).hexdigest(),
                content_type=DOCX_TYPE,
                kind=filecheck.DOCUMENT,
                uploaded_by=owner,
            )
            stored.file.save("bai-du-thi.docx", ContentFile(document), save=False)
            stored.save()
        return entry

    def session_of(user) -> str:
        """A logged-in session, as django.contrib.auth.login stores it."""
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    ready, upload = [], []
    for i in range(entrants):
        owner = UserFactory(email=f"tac-gia-{i}@example.vn")
        entry = draft(owner, f"Giải pháp số hóa thủ tục hành chính số {i}", with_document=True)
        problems = entry_problems(entry=entry)
        assert not problems, problems
        ready.append({"entry": entry.pk, "session": session_of(owner)})
    for i in range(uploads):
        owner = UserFactory(email=f"tai-tep-{i}@example.vn")
        entry = draft(owner, f"Một cửa liên thông cấp xã số {i}", with_document=False)
        assert list(entry_problems(entry=entry)) == ["files"]
        upload.append({"entry": entry.pk, "session": session_of(owner)})

    member = UserFactory(email="dang-nhap@example.vn")
    member.set_password("Lang-Son-2025-cchc")
    member.save()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)

    looked_up = draft(
        UserFactory(email="tra-cuu@example.vn", phone="0987654321"),
        "Bài để tra cứu công khai",
        with_document=True,
    )
    looked_up.authors.update(phone="0987654321", phone_key="0987654321")
    submit_entry(looked_up, code="CC25-TRAC-UU01")
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "ready": ready,
        "upload": upload,
        "login": {"email": member.email, "password": "Lang-Son-2025-cchc"},
        "lookup": {"code": "CC25-TRAC-UU01", "phone_last4": "4321", "entry": looked_up.pk},
    }


def _facts() -> dict:
    """What the database and the file storage hold, for the assertions."""
    from collections import Counter

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q

    from contest.models import Event, OutboxTask
    from submissions.models import Entry, EntryFile

    submitted_events = {
        row["object_id"]: row["n"]
        for row in Event.objects.filter(
            action="submitted", content_type=ContentType.objects.get_for_model(Entry)
        )
        .values("object_id")
        .annotate(n=Count("pk"))
    }
    receipt_jobs = Counter(
        kwargs.get("entry_id")
        for kwargs in OutboxTask.objects.filter(
            task="submissions.tasks.task_send_receipt"
        ).values_list("kwargs", flat=True)
    )
    entries = [
        {
            "id": e.pk,
            "status": e.status,
            "tracking_code": e.tracking_code,
            "authors": e.n_authors,
            "files": e.n_files,
            "receipt_sent": e.receipt_sent_at is not None,
            "submitted_events": submitted_events.get(e.pk, 0),
            "receipt_jobs": receipt_jobs.get(e.pk, 0),
        }
        for e in Entry.objects.annotate(
            n_authors=Count("authors", distinct=True), n_files=Count("files", distinct=True)
        ).order_by("pk")
    ]
    outbox = list(
        OutboxTask.objects.values("task")
        .annotate(
            pending=Count("pk", filter=Q(sent_at__isnull=True)),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
        )
        .order_by("task")
    )
    media = Path(settings.MEDIA_ROOT)
    stored = (
        sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())
        if media.exists()
        else []
    )
    return {
        "entries": entries,
        "outbox": outbox,
        "file_rows": sorted(EntryFile.objects.values_list("file", flat=True)),
        "stored_files": stored,
    }


def _main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "prepare":
        from django.db import transaction

        with transaction.atomic():  # one commit: quick on SQLite too
            answer = _prepare(int(argv[1]), int(argv[2]))
    elif command == "facts":
        answer = _facts()
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(answer))


if __name__ == "__main__":
    _main(sys.argv[1:])
