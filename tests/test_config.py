"""Configuration from the environment: bad values stop start-up with one clear line, production
passes Django's deployment checks, mail goes where the settings say (Django 6.1 MAILERS)."""

import json
import re
import socketserver
import subprocess
import threading

import pytest
from django.core import mail

from config.env import mailers_config
from submissions.files import SIZE_LIMITS
from tests.processes import ROOT, django_env, manage

PREFIX = "Lỗi cấu hình / configuration error: "
STRONG_KEY = "prod-test-" + "x7Qp" * 15
PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "cuocthi-cchc.example.gov.vn",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.gov.vn:587",
}


def assert_stopped_with(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2
    assert result.stderr.splitlines() == [PREFIX + message]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "foo://bar",
            "DATABASE_URL không hợp lệ (foo); dùng dạng "
            "postgres://user:pass@host:5432/ten_csdl hoặc sqlite:////duong/dan.sqlite3",
        ),
        (
            "127.0.0.1:5432/cchc",
            "DATABASE_URL không hợp lệ (thiếu scheme); dùng dạng "
            "postgres://user:pass@host:5432/ten_csdl hoặc sqlite:////duong/dan.sqlite3",
        ),
        ("postgres://", "DATABASE_URL thiếu tên cơ sở dữ liệu"),
        ("postgres://postgres@127.0.0.1:5432/", "DATABASE_URL thiếu tên cơ sở dữ liệu"),
        (
            "postgres://postgres@127.0.0.1:port/cchc",
            "DATABASE_URL không đọc được: Port could not be cast to integer value as 'port'",
        ),
    ],
)
def test_check_stops_with_one_line_when_database_url_is_malformed(tmp_path, url, message):
    env = django_env(tmp_path, "config.settings.dev", DATABASE_URL=url)

    result = manage("check", env=env)

    assert_stopped_with(result, message)


@pytest.mark.parametrize(
    "secret_key",
    ["", "too-short-0123456789", "django-insecure-" + "a" * 60, "change-me-" + "0" * 60],
)
def test_production_check_stops_with_one_line_when_secret_key_is_missing_or_weak(
    tmp_path, secret_key
):
    env = django_env(
        tmp_path, "config.settings.production", **{**PRODUCTION, "SECRET_KEY": secret_key}
    )

    result = manage("check", env=env)

    assert_stopped_with(
        result, "SECRET_KEY phải được đặt (ít nhất 50 ký tự ngẫu nhiên) khi chạy production"
    )


def test_production_check_stops_with_one_line_when_email_url_is_missing(tmp_path):
    env = django_env(tmp_path, "config.settings.production", **{**PRODUCTION, "EMAIL_URL": ""})

    result = manage("check", env=env)

    assert_stopped_with(
        result,
        "EMAIL_URL phải được đặt khi chạy production (smtp+tls://user:pass@mail.example.vn:587)",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://mail.example.vn",
            "EMAIL_URL không hợp lệ (http); dùng dạng "
            "smtp://user:pass@mail.example.vn:587 hoặc smtp+tls://, smtps://",
        ),
        ("smtp://", "EMAIL_URL thiếu tên máy chủ SMTP"),
        ("smtp://mail.example.vn:smtp", "EMAIL_URL có cổng (port) không hợp lệ"),
    ],
)
def test_check_stops_with_one_line_when_email_url_is_malformed(tmp_path, url, message):
    env = django_env(tmp_path, "config.settings.dev", EMAIL_URL=url)

    result = manage("check", env=env)

    assert_stopped_with(result, message)


def test_production_passes_the_deployment_checks_when_configured(tmp_path):
    env = django_env(tmp_path, "config.settings.production", **PRODUCTION)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


def test_mailers_config_writes_files_without_email_url(monkeypatch, tmp_path):
    monkeypatch.delenv("EMAIL_URL", raising=False)

    assert mailers_config(file_path=tmp_path / "mail") == {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("smtp://relay.example.vn", {"host": "relay.example.vn", "timeout": 10}),
        (
            "smtp+tls://portal%40example.vn:p%40ss@mail.example.vn:587?timeout=30",
            {
                "host": "mail.example.vn",
                "port": 587,
                "use_tls": True,
                "username": "portal@example.vn",
                "password": "p@ss",
                "timeout": 30,
            },
        ),
        (
            "smtps://u:p@mail.example.vn",
            {
                "host": "mail.example.vn",
                "use_ssl": True,
                "username": "u",
                "password": "p",
                "timeout": 10,
            },
        ),
    ],
)
def test_mailers_config_reads_smtp_from_email_url(monkeypatch, tmp_path, url, options):
    monkeypatch.setenv("EMAIL_URL", url)

    assert mailers_config(file_path=tmp_path) == {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


def test_default_settings_write_mail_to_files_without_deprecation_warnings(tmp_path):
    env = django_env(tmp_path, "config.settings.dev", PYTHONWARNINGS="always")

    result = manage("sendtestemail", "ban-to-chuc@example.vn", env=env)

    assert result.returncode == 0
    assert result.stderr == ""
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert "To: ban-to-chuc@example.vn" in files[0].read_text()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message: a stand-in for the mail server,
    which is outside the machine."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test ESMTP")
        while raw := self.rfile.readline():
            command = raw.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command.startswith("RCPT TO:"):
                self.server.recipients.append(raw.decode().strip()[8:])
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go on")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line.decode())
                self.server.messages.append("".join(lines))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


def test_email_url_sends_through_the_smtp_server(tmp_path):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages, server.recipients = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = django_env(
        tmp_path,
        "config.settings.dev",
        EMAIL_URL=f"smtp://127.0.0.1:{server.server_address[1]}",
        PYTHONWARNINGS="always",
    )

    try:
        result = manage("sendtestemail", "ban-to-chuc@example.vn", env=env)
    finally:
        server.shutdown()
        server.server_close()

    assert result.returncode == 0
    assert result.stderr == ""
    assert server.recipients == ["<ban-to-chuc@example.vn>"]
    assert len(server.messages) == 1
    assert not (tmp_path / "mail").exists()


@pytest.mark.django_db
def test_allauth_signup_sends_the_confirmation_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tai-khoan/signup/",
            {
                "email": "tac-gia@example.vn",
                "password1": "mot-mat-khau-dai-2025",
                "password2": "mot-mat-khau-dai-2025",
            },
        )

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["tac-gia@example.vn"]]
    assert mail.outbox[0].subject.startswith("[Cuộc thi CCHC] ")


def _compose_config() -> dict:
    result = subprocess.run(
        [
            str(ROOT / ".venv/bin/docker-compose"),
            "-f",
            "docker-compose.yml",
            "--env-file",
            "deploy/env.example",
            "config",
            "--format",
            "json",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_compose_runs_every_process_of_the_deployment_with_a_health_check():
    services = _compose_config()["services"]

    assert sorted(services) == ["beat", "db", "migrate", "proxy", "redis", "web", "worker"]
    assert sorted(name for name, s in services.items() if "healthcheck" in s) == [
        "beat",
        "db",
        "proxy",
        "redis",
        "web",
        "worker",
    ]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "deploy/healthcheck.py",
        "web",
    ]
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == (
        "config.settings.production"
    )


def test_only_the_buffering_proxy_is_published_and_it_takes_the_largest_upload():
    services = _compose_config()["services"]
    template = (ROOT / "deploy/nginx/default.conf.template").read_text()

    assert "ports" not in services["web"]
    assert [p["target"] for p in services["proxy"]["ports"]] == [8000]
    assert "proxy_request_buffering on;" in template
    largest = max(SIZE_LIMITS.values()) // (1024 * 1024)
    assert int(re.search(r"client_max_body_size (\d+)m;", template).group(1)) > largest


def test_env_example_documents_every_variable_the_compose_file_reads():
    compose = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / "deploy/env.example").read_text()

    used = set(re.findall(r"\$\{([A-Z0-9_]+)", compose))
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))

    assert used - documented == set()
    assert documented - used == set()


def test_env_example_holds_only_placeholders_for_secrets():
    example = (ROOT / "deploy/env.example").read_text()

    values = dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", example, flags=re.MULTILINE))

    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        assert values[name].startswith("change-me"), name
    assert "change-me" in values["EMAIL_URL"]


def test_dockerfile_builds_from_python_313_slim_and_runs_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text().splitlines()

    stages = [line for line in dockerfile if line.startswith(("FROM ", "USER "))]

    assert stages == ["FROM python:3.13-slim", "USER portal"]
