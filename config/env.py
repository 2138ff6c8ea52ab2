"""Reading the environment, with one clear message when the configuration is wrong."""

import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import environ


class ConfigurationError(SystemExit):
    """Stops start-up with a single readable line instead of a traceback."""

    def __init__(self, message: str):
        sys.stderr.write(f"Lỗi cấu hình / configuration error: {message}\n")
        super().__init__(2)


env = environ.Env()


def database_config(default_url: str) -> dict:
    url = env.str("DATABASE_URL", default="") or default_url
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql", "psql"}:
        raise ConfigurationError(
            f"DATABASE_URL không hợp lệ ({scheme or 'thiếu scheme'}); "
            "dùng dạng postgres://user:pass@host:5432/ten_csdl hoặc sqlite:////duong/dan.sqlite3"
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # environ raises several kinds for malformed URLs
        raise ConfigurationError(f"DATABASE_URL không đọc được: {exc}") from None
    if not config.get("NAME"):
        raise ConfigurationError("DATABASE_URL thiếu tên cơ sở dữ liệu")
    if config["ENGINE"].endswith("postgresql"):
        # An unreachable server fails fast (health checks, start-up) instead of hanging.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
        )
    return config


# Schemes of EMAIL_URL and the TLS mode each one means.
_SMTP_SCHEMES = {
    "smtp": {},
    "smtp+tls": {"use_tls": True},
    "smtps": {"use_ssl": True},
    "smtp+ssl": {"use_ssl": True},
}


def mailers_config(*, file_path: Path) -> dict:
    """Django 6.1's MAILERS: SMTP from EMAIL_URL when it is set, else one file per message
    under `file_path`. EMAIL_URL is smtp://user:pass@host:port (smtp+tls:// for STARTTLS,
    smtps:// for implicit TLS), optionally ?timeout=seconds."""
    url = env.str("EMAIL_URL", default="")
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": str(file_path)},
            }
        }
    parts = urlsplit(url)
    if parts.scheme not in _SMTP_SCHEMES:
        raise ConfigurationError(
            f"EMAIL_URL không hợp lệ ({parts.scheme or 'thiếu scheme'}); "
            "dùng dạng smtp://user:pass@mail.example.vn:587 hoặc smtp+tls://, smtps://"
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError("EMAIL_URL có cổng (port) không hợp lệ") from None
    if not parts.hostname:
        raise ConfigurationError("EMAIL_URL thiếu tên máy chủ SMTP")
    options: dict = {"host": parts.hostname, **_SMTP_SCHEMES[parts.scheme]}
    if port:
        options["port"] = port
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    timeout = parse_qs(parts.query).get("timeout")
    options["timeout"] = int(timeout[0]) if timeout and timeout[0].isdigit() else 10
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }
