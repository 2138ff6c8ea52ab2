"""Optional two-step login with an authenticator app (TOTP, django-otp): enrolment with a QR
code, the code step after the password, and the setting that makes it compulsory for the
roles that see other people's data."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from contest.enums import Role
from contest.models import Event
from tests.factories import ContestFactory, grant
from tests.security.conftest import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/ho-so/"
VERIFY = "/tai-khoan/bao-mat/xac-thuc-hai-buoc/nhap-ma/"
SETUP = "/tai-khoan/bao-mat/xac-thuc-hai-buoc/"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


@pytest.fixture
def judge(db):
    user = verified_user("giam-khao@example.vn")
    grant(user, ContestFactory(), Role.JUDGE)
    return user


@pytest.fixture
def judge_with_app(judge):
    TOTPDevice.objects.create(user=judge, name="Điện thoại", confirmed=True)
    return judge


def test_user_with_an_app_must_enter_the_code_before_any_page(client, judge_with_app):
    _login(client, judge_with_app)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Ftai-khoan%2Fho-so%2F"


def test_wrong_code_is_refused_with_a_message_and_recorded(client, judge_with_app):
    _login(client, judge_with_app)

    response = client.post(VERIFY, {"token": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "token": ["Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới."]
    }
    assert Event.objects.filter(action="otp_failed", object_id=judge_with_app.pk).count() == 1
    assert client.get(PROFILE).status_code == 302


def test_right_code_opens_the_portal_and_goes_to_next(client, judge_with_app):
    _login(client, judge_with_app)
    device = TOTPDevice.objects.get(user=judge_with_app)

    response = client.post(VERIFY, {"token": current_code(device), "next": PROFILE})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert client.get(PROFILE).status_code == 200


def test_code_step_never_redirects_to_another_site(client, judge_with_app):
    _login(client, judge_with_app)
    device = TOTPDevice.objects.get(user=judge_with_app)

    response = client.post(
        VERIFY, {"token": current_code(device), "next": "https://ke-xau.example/"}
    )

    assert response["Location"] == reverse("home")


def test_user_who_owes_a_code_cannot_enrol_another_app(client, judge_with_app):
    _login(client, judge_with_app)

    start = client.post(SETUP, {"action": "start"})
    page = client.get(SETUP)

    assert start.status_code == 302
    assert start["Location"] == VERIFY
    assert page["Location"] == f"{VERIFY}?next=%2Ftai-khoan%2Fbao-mat%2Fxac-thuc-hai-buoc%2F"
    assert TOTPDevice.objects.filter(user=judge_with_app).count() == 1


def test_verified_user_can_replace_the_app(client, judge_with_app):
    _login(client, judge_with_app)
    old = TOTPDevice.objects.get(user=judge_with_app)
    client.post(VERIFY, {"token": current_code(old)})

    client.post(SETUP, {"action": "start"})
    new = TOTPDevice.objects.get(user=judge_with_app, confirmed=False)
    client.post(SETUP, {"token": current_code(new)})

    assert list(TOTPDevice.objects.filter(user=judge_with_app).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]


def test_user_without_an_app_is_not_asked_for_a_code(client, judge):
    _login(client, judge)

    assert client.get(PROFILE).status_code == 200


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(client, judge):
    _login(client, judge)

    client.post(SETUP, {"action": "start"})
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=judge)
    confirmed = client.post(SETUP, {"token": current_code(device)})

    assert page.context["qr"].startswith("data:image/svg+xml")
    assert page.context["secret"] == page.context["secret"].upper()
    assert "Bước 1. Quét mã QR bằng ứng dụng xác thực" in page.content.decode()
    assert confirmed.status_code == 302
    assert list(TOTPDevice.objects.filter(user=judge).values_list("confirmed", flat=True)) == [True]
    assert Event.objects.filter(action="otp_enrolled", object_id=judge.pk).count() == 1
    assert client.get(PROFILE).status_code == 200


def test_enrolment_refuses_a_wrong_code(client, judge):
    _login(client, judge)
    client.post(SETUP, {"action": "start"})

    response = client.post(SETUP, {"token": "12345x"})

    assert response.context["form"].errors == {"token": ["Mã xác thực chỉ gồm chữ số."]}
    assert list(TOTPDevice.objects.filter(user=judge).values_list("confirmed", flat=True)) == [
        False
    ]


@override_settings(PORTAL_REQUIRE_OTP_FOR_STAFF=True)
def test_required_setting_sends_staff_without_an_app_to_enrolment(client, judge):
    _login(client, judge)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Ftai-khoan%2Fho-so%2F"


@override_settings(PORTAL_REQUIRE_OTP_FOR_STAFF=True)
def test_required_setting_leaves_entrants_alone(client, owner):
    _login(client, owner)

    assert client.get(PROFILE).status_code == 200
