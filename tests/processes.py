"""Helpers for tests that start Django in a separate process with its own environment, the way
a deployment would (bad configuration, production settings, an unreachable database)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_DEPLOYMENT_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DEBUG",
    "AWS_STORAGE_BUCKET_NAME",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def closed_port() -> int:
    """A local TCP port that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_env(tmp_path: Path, settings: str, **variables: str) -> dict[str, str]:
    """The current environment without deployment variables, plus `variables`; files
    (SQLite, mail, media) under tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in _DEPLOYMENT_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    )
    env.update(variables)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


_GET_SCRIPT = """
import json, sys
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get(sys.argv[1])
print(json.dumps({"status": response.status_code, "location": response.get("Location"),
                  "body": response.content.decode()}))
"""


def http_get(path: str, *, env: dict[str, str]) -> dict:
    """GET `path` through the whole middleware stack of a fresh Django process."""
    done = subprocess.run(
        [sys.executable, "-c", _GET_SCRIPT, path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
