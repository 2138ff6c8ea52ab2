import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "Lang-Son-2025-cchc"
LINK = re.compile(r"http://testserver(/tai-khoan/\S+)")


@pytest.fixture
def verified_user(db):
    user = UserFactory(email="daxacnhan@example.vn")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def _signup(client, capture, email="moi@example.vn"):
    with capture(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )


def test_signup_page_is_vietnamese(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<h1 class="h3 mb-3">Đăng ký tài khoản</h1>' in html
    assert "Nhập lại mật khẩu" in html


def test_signup_sends_vietnamese_verification_mail(client, db, django_capture_on_commit_callbacks):
    response = _signup(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moi@example.vn"]
    assert mail.outbox[0].subject == "[Cuộc thi CCHC] Xác nhận địa chỉ thư điện tử"
    assert "/tai-khoan/confirm-email/" in _link(mail.outbox[0])


def test_signup_unverified_user_cannot_log_in(client, db, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "moi@example.vn", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_signup_existing_email_does_not_reveal_the_account(
    client, verified_user, django_capture_on_commit_callbacks
):
    response = _signup(client, django_capture_on_commit_callbacks, email="daxacnhan@example.vn")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[0].subject == "[Cuộc thi CCHC] Tài khoản đã tồn tại"
    assert reverse("account_reset_password") in mail.outbox[0].body


def test_verification_link_confirms_and_login_works(client, db, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])

    page = client.get(link)
    confirmed = client.post(link)
    login = client.post(reverse("account_login"), {"login": "MOI@example.vn", "password": PASSWORD})

    assert page.status_code == 200
    assert "Xác nhận địa chỉ thư điện tử" in page.content.decode()
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="moi@example.vn").verified is True
    assert login.status_code == 302
    assert login["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(
        EmailAddress.objects.get(email="moi@example.vn").user_id
    )


def test_login_wrong_password_gets_vietnamese_error(client, verified_user):
    response = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": "sai-mat-khau"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Thư điện tử hoặc mật khẩu không đúng."]


def test_logout_ends_the_session(client, verified_user):
    client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_link_sets_new_password(
    client, verified_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("account_reset_password"), {"email": verified_user.email})
    link = _link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "Mat-khau-moi-2025", "password2": "Mat-khau-moi-2025"},
    )
    login = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": "Mat-khau-moi-2025"}
    )

    assert sent["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[0].subject == "[Cuộc thi CCHC] Đặt lại mật khẩu"
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_password_reset_bad_link_says_so(client, db):
    response = client.get("/tai-khoan/password/reset/key/1-khong-hop-le/", follow=True)

    assert "Đường dẫn không hợp lệ" in response.content.decode()


def test_password_change_requires_login_again(client, verified_user):
    client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Mat-khau-doi-2025",
            "password2": "Mat-khau-doi-2025",
        },
    )
    verified_user.refresh_from_db()

    assert response.status_code == 302
    assert verified_user.check_password("Mat-khau-doi-2025") is True
    assert "_auth_user_id" not in client.session


def test_password_change_wrong_current_password_in_vietnamese(client, verified_user):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "sai", "password1": "Mat-khau-doi-2025", "password2": "Mat-khau-doi-2025"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"] == ["Vui lòng nhập mật khẩu hiện tại."]
