"""Accounts and sessions (issue 7, item 8): login throttling without a permanent lock-out, a
new session key on login, sessions that end on logout, password change and deactivation, and
idle and absolute timeouts for the roles that see other people's data."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from config.security import SESSION_LOGIN_AT, SESSION_PRIVILEGED, SESSION_SEEN_AT
from contest.enums import Role
from tests.factories import ContestFactory, UnitFactory, grant
from tests.security.conftest import PASSWORD, verified_user
from tests.security.report import figure_write

pytestmark = pytest.mark.django_db

ATTACKER_IP = "203.0.113.7"
OWNER_IP = "198.51.100.20"
PROFILE = "/tai-khoan/ho-so/"


def _login(client, email, password, ip="127.0.0.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def test_login_locks_the_email_and_ip_pair_after_five_failures(client, owner, settings):
    statuses = [
        _login(client, owner.email, f"sai-{i}", ip=ATTACKER_IP).status_code for i in range(5)
    ]

    locked = _login(client, owner.email, PASSWORD, ip=ATTACKER_IP)
    other_ip = Client()
    owner_elsewhere = _login(other_ip, owner.email, PASSWORD, ip=OWNER_IP)

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "tạm dừng trong 15 phút" in locked.content.decode()
    assert SESSION_KEY not in client.session
    assert owner_elsewhere.status_code == 302
    assert other_ip.session[SESSION_KEY] == str(owner.pk)
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_login_lockout_ends_after_the_cool_off(client, owner):
    for i in range(5):
        _login(client, owner.email, f"sai-{i}", ip=ATTACKER_IP)
    sixteen_minutes_ago = time.time() - 16 * 60
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.fromtimestamp(sixteen_minutes_ago, tz=dt.UTC)
    )

    response = _login(client, owner.email, PASSWORD, ip=ATTACKER_IP)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(owner.pk)
    assert AccessAttempt.objects.count() == 0


def test_login_lockout_ignores_the_case_of_the_email(client, owner):
    variants = ["Chu-Tai-Khoan@example.vn", "CHU-TAI-KHOAN@EXAMPLE.VN", " chu-tai-khoan@example.vn"]
    for i, email in enumerate([*variants, "chu-tai-khoan@Example.vn"]):
        _login(client, email, f"sai-{i}", ip=ATTACKER_IP)

    response = _login(client, owner.email, "sai-cuoi", ip=ATTACKER_IP)

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("chu-tai-khoan@example.vn", 5)
    ]


def test_login_throttling_figures_for_the_report(owner):
    attacker, owner_client = Client(), Client()
    attempts = [_login(attacker, owner.email, f"sai-{i}", ATTACKER_IP) for i in range(8)]
    locked_at = next(i + 1 for i, r in enumerate(attempts) if r.status_code == 429)
    owner_ok = _login(owner_client, owner.email, PASSWORD, OWNER_IP).status_code == 302

    figure_write(
        "login_throttling",
        title="Đăng nhập: chặn dò mật khẩu",
        rows=[
            ("lần sai đến khi khóa cặp thư điện tử + IP", locked_at),
            ("lần thử bị từ chối sau khi khóa", sum(r.status_code == 429 for r in attempts)),
            ("chủ tài khoản ở IP khác vẫn đăng nhập được", "có" if owner_ok else "không"),
        ],
        ok=locked_at == 5 and owner_ok,
    )

    assert locked_at == 5
    assert owner_ok is True


def test_login_issues_a_new_session_key(client, owner):
    client.get(reverse("account_login"))
    session = client.session
    session["truoc_dang_nhap"] = 1
    session.save()
    before = client.cookies["sessionid"].value

    _login(client, owner.email, PASSWORD)

    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_logout_ends_the_session(client, owner):
    _login(client, owner.email, PASSWORD)
    old_key = client.cookies["sessionid"].value

    client.post(reverse("account_logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = old_key

    assert _signed_in(client) is False
    assert _signed_in(stolen) is False


def test_password_change_ends_this_and_every_other_session(owner):
    here, elsewhere = Client(), Client()
    _login(here, owner.email, PASSWORD)
    _login(elsewhere, owner.email, PASSWORD, ip=OWNER_IP)

    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
        },
    )

    assert response.status_code == 302
    assert _signed_in(here) is False
    assert _signed_in(elsewhere) is False


def test_deactivated_user_is_anonymous_on_the_next_request(client, owner):
    _login(client, owner.email, PASSWORD)
    assert _signed_in(client) is True

    owner.is_active = False
    owner.save(update_fields=["is_active"])
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def judge(db):
    contest = ContestFactory()
    user = verified_user("giam-khao@example.vn")
    grant(user, contest, Role.JUDGE)
    return user


def _age_session(client, *, login_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SESSION_LOGIN_AT] = now - login_ago
    session[SESSION_SEEN_AT] = now - seen_ago
    session.save()


def test_staff_session_ends_after_thirty_idle_minutes(client, judge):
    _login(client, judge.email, PASSWORD)
    _age_session(client, login_ago=31 * 60, seen_ago=31 * 60)

    response = client.get(PROFILE, follow=True)

    assert response.redirect_chain[0] == (f"{reverse('account_login')}?next={PROFILE}", 302)
    assert [str(m) for m in response.context["messages"]][-1:] == [
        "Phiên làm việc đã kết thúc vì không có thao tác trong 30 phút. Vui lòng đăng nhập lại."
    ]
    assert SESSION_KEY not in client.session


def test_staff_session_ends_twelve_hours_after_login_even_when_active(client, judge):
    _login(client, judge.email, PASSWORD)
    _age_session(client, login_ago=12 * 3600 + 1, seen_ago=10)

    response = client.get(PROFILE, follow=True)

    assert [str(m) for m in response.context["messages"]][-1:] == [
        "Phiên làm việc đã quá 12 giờ kể từ khi đăng nhập nên đã kết thúc để bảo vệ dữ liệu. "
        "Vui lòng đăng nhập lại."
    ]
    assert SESSION_KEY not in client.session


def test_staff_activity_keeps_the_session_alive(client, judge):
    _login(client, judge.email, PASSWORD)
    _age_session(client, login_ago=3 * 3600, seen_ago=29 * 60)

    first = client.get(PROFILE)
    seen = client.session[SESSION_SEEN_AT]

    assert first.status_code == 200
    assert time.time() - seen < 5
    assert client.session[SESSION_PRIVILEGED] is True


def test_unit_staff_and_admin_staff_are_privileged(client):
    unit = UnitFactory()
    staff = verified_user("can-bo@example.vn")
    grant(staff, unit.contest, Role.UNIT_STAFF, unit=unit)
    admin = verified_user("quan-tri@example.vn", is_staff=True)
    entrant = verified_user("tac-gia@example.vn")

    flags = {}
    for user in (staff, admin, entrant):
        c = Client()
        _login(c, user.email, PASSWORD)
        flags[user.email] = c.session[SESSION_PRIVILEGED]

    assert flags == {
        "can-bo@example.vn": True,
        "quan-tri@example.vn": True,
        "tac-gia@example.vn": False,
    }


def test_entrant_session_has_no_idle_timeout(client, owner):
    _login(client, owner.email, PASSWORD)
    _age_session(client, login_ago=20 * 3600, seen_ago=5 * 3600)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(owner.pk)
