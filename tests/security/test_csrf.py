"""CSRF on every POST (issue 7, item 9): a POST without a token to every URL pattern of the
portal, as a signed-in superuser, is refused by Django's CSRF check before any view runs;
the same POST with the token gets past the check (so the refusal is the token's doing)."""

import pytest
from django.http import HttpResponseForbidden
from django.test import Client, override_settings

from tests.security.portal import populated_portal
from tests.security.report import figure_write
from tests.security.urlwalk import routes

pytestmark = pytest.mark.django_db

MARK = "X-Refused-By-CSRF"


def csrf_refused(request, reason=""):
    """CSRF_FAILURE_VIEW for this test: marks the refusal so it cannot be mistaken for a
    permission check answering 403."""
    response = HttpResponseForbidden("CSRF")
    response[MARK] = "1"
    return response


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_refused")
def test_post_without_a_token_is_refused_on_every_url():
    portal = populated_portal()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(portal.superuser)
    walked = routes(contest=portal.contest)

    not_refused = {}
    for route in walked:
        response = client.post(route.path, {"title": "Không có mã CSRF"})
        if response.get(MARK) != "1":
            not_refused[route.path] = response.status_code
    figure_write(
        "csrf",
        title="CSRF: POST không có mã chống giả mạo",
        rows=[
            ("POST đã gửi (mọi địa chỉ)", len(walked)),
            ("POST bị từ chối (403 CSRF)", len(walked) - len(not_refused)),
            ("POST lọt qua", len(not_refused)),
        ],
        ok=not not_refused,
    )

    assert len(walked) > 200
    assert not_refused == {}


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_refused")
def test_post_with_the_token_passes_the_csrf_check(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get("/tai-khoan/ho-so/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/tai-khoan/ho-so/", {"full_name": "Chủ Tài Khoản", "csrfmiddlewaretoken": token}
    )

    assert response.get(MARK) is None
    assert response.status_code == 302
