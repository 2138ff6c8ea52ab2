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
