"""Reading the environment, with one clear message when the configuration is wrong."""

import sys

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
    return config
