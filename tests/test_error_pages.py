"""The error pages speak Vietnamese on the portal's layout; the 500 page needs no request."""

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied


def test_404_page_is_vietnamese_on_the_portal_layout(client, db):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["404.html"]
    html = response.content.decode()
    assert '<h1 class="h3">Không tìm thấy trang</h1>' in html
    assert "portal-header" in html


def test_403_page_is_vietnamese(db):
    request = RequestFactory().get("/don-vi/1/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_csrf_failure_page_is_vietnamese(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/tai-khoan/login/", {"login": "a@b.vn", "password": "x"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn, chưa gửi được" in response.content.decode()


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")

    assert "Hệ thống đang gặp sự cố" in html
    assert 'href="/"' in html


def test_unknown_host_gets_the_400_page_not_a_server_error(db):
    # The 400 is rendered before authentication runs: the page has no request.user.
    client = Client(raise_request_exception=False)

    for path in ("/", "/ket-qua/", "/tra-cuu/"):
        response = client.get(path, HTTP_HOST="ke-gia-mao.example.com")

        assert response.status_code == 400
        assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_public_pages_answer_head_requests(db):
    # Uptime monitors and link checkers ask with HEAD.
    client = Client()

    assert [client.head(path).status_code for path in ("/", "/ket-qua/")] == [200, 200]
