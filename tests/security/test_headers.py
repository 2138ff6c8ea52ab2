"""Headers and configuration (issue 7, item 9): the production settings send HSTS, secure
cookies and a strict Content-Security-Policy, and no template defeats that policy with inline
script, inline style or event-handler attributes. (`manage.py check --deploy --fail-level
WARNING` on production settings is tested in tests/test_config.py.)"""

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse

import config.settings.base as base_settings
from tests.security.conftest import PASSWORD
from tests.security.report import figure_write

ROOT = Path(__file__).resolve().parents[2]
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def production_overrides(monkeypatch) -> dict:
    """Every setting config.settings.production sets differently from base, read from the
    module itself (with the secrets it insists on), so the test follows the real file."""
    monkeypatch.setattr(base_settings, "SECRET_KEY", "prod-test-" + "x7Qp" * 15)
    monkeypatch.setattr(
        base_settings,
        "MAILERS",
        {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}},
    )
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)
    keep_from_test = {"SECRET_KEY", "MAILERS", "DATABASES", "STORAGES", "CACHES", "LOGGING"}
    return {
        name: getattr(production, name)
        for name in dir(production)
        if name.isupper()
        and name not in keep_from_test
        and getattr(production, name) != getattr(base_settings, name, object())
    }


@pytest.fixture
def production(monkeypatch, db):
    overrides = production_overrides(monkeypatch)
    with override_settings(**overrides):
        yield overrides


def csp_directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def test_production_settings_are_the_https_ones(production):
    assert {
        k: production[k] for k in sorted(production) if k.startswith(("SECURE_", "SESS", "CSRF"))
    } == {
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_REDIRECT_EXEMPT": [r"^healthz$"],
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
    }


def test_production_redirects_plain_http_to_https(client, production):
    response = client.get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def test_production_home_page_sends_the_security_headers(client, production):
    response = client.get("/", **HTTPS)

    csp = csp_directives(response["Content-Security-Policy"])
    # Django adds a nonce source only when a page used {{ csp_nonce }}; none is ever inline.
    script_src = [s for s in csp.pop("script-src") if not s.startswith("'nonce-")]
    checked = {
        "Strict-Transport-Security": response["Strict-Transport-Security"],
        "X-Frame-Options": response["X-Frame-Options"],
        "X-Content-Type-Options": response["X-Content-Type-Options"],
        "Referrer-Policy": response["Referrer-Policy"],
        "Cross-Origin-Opener-Policy": response["Cross-Origin-Opener-Policy"],
    }
    headers_ok = checked == EXPECTED_HEADERS
    csp_ok = csp == EXPECTED_CSP and script_src == ["'self'"]
    figure_write(
        "headers",
        title="Tiêu đề bảo mật (cấu hình production, trang chủ)",
        rows=[
            ("tiêu đề kiểm tra / sai", f"{len(checked) + 1} / {int(not headers_ok)}"),
            ("chỉ thị CSP kiểm tra / sai", f"{len(csp) + 1} / {int(not csp_ok)}"),
        ],
        ok=headers_ok and csp_ok,
    )

    assert response.status_code == 200
    assert checked == EXPECTED_HEADERS
    assert csp == EXPECTED_CSP
    assert script_src == ["'self'"]


def test_production_cookies_are_secure_and_http_only(client, production, owner):
    login_page = client.get(reverse("account_login"), **HTTPS)
    client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD}, **HTTPS)

    csrf = login_page.cookies[django_settings.CSRF_COOKIE_NAME]
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


# --- templates ----------------------------------------------------------------------------

# Rendered only into PDFs by WeasyPrint (awards/pdf.py), never sent to a browser, so the
# page CSP does not apply; the positions of the overprint are data, hence style attributes.
PDF_ONLY = {"certificates/overprint.html": "awards/pdf.py"}

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def template_files() -> list[Path]:
    dirs = [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]
    dirs += [
        ROOT / app / "templates"
        for app in ("accounts", "contest", "submissions", "judging", "awards")
    ]
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.html"))


def csp_violations(text: str) -> list[str]:
    found = []
    for match in TAG.finditer(text):
        name, attrs = match.group(1).lower(), match.group(2)
        if name == "script" and "src=" not in attrs and "nonce=" not in attrs:
            found.append("inline <script> without a nonce")
        if name == "style":
            found.append("<style> element")
        if STYLE_ATTR.search(attrs):
            found.append("style= attribute")
        if HANDLER.search(attrs):
            found.append("on*= event handler")
        if re.search(r"""=\s*["']?\s*javascript:""", attrs, re.IGNORECASE):
            found.append("javascript: URL")
    return found


def test_csp_scanner_finds_each_kind_of_inline_code():
    sample = (
        '<script>alert(1)</script><script nonce="{{ csp_nonce }}">ok()</script>'
        '<script src="/static/x.js"></script><style>p{}</style><p style="color:red">'
        '<button onclick="go()"><a href="javascript:go()">'
    )

    assert csp_violations(sample) == [
        "inline <script> without a nonce",
        "<style> element",
        "style= attribute",
        "on*= event handler",
        "javascript: URL",
    ]


def test_no_template_contains_inline_script_style_or_event_handlers():
    files = template_files()
    root = Path(django_settings.TEMPLATES[0]["DIRS"][0])
    offenders = {
        str(path.relative_to(root) if path.is_relative_to(root) else path): found
        for path in files
        if (found := csp_violations(path.read_text(encoding="utf-8")))
        and str(path.relative_to(root) if path.is_relative_to(root) else path) not in PDF_ONLY
    }

    assert len(files) > 50
    assert offenders == {}


def test_pdf_only_templates_are_used_by_the_pdf_renderer_alone():
    users = {
        name: sorted(
            str(p.relative_to(ROOT))
            for app in ("accounts", "contest", "submissions", "judging", "awards", "config")
            for p in (ROOT / app).rglob("*.py")
            if name in p.read_text(encoding="utf-8")
        )
        for name in PDF_ONLY
    }

    assert users == {name: [module] for name, module in PDF_ONLY.items()}
