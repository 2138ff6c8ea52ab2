"""Audit (issue 7, item 10, the part about logins and refused accesses): who, what and when,
stored in UTC in the append-only event log and shown in Vietnam's local time."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from contest.models import Event, EventLogIsAppendOnly
from contest.templatetags.portal import instant
from tests.factories import UnitFactory
from tests.security.conftest import PASSWORD, verified_user

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="192.0.2.10"):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Trình duyệt thử",
    )


def _audit_rows(action):
    return list(
        Event.objects.filter(action=action)
        .order_by("id")
        .values_list("content_type__model", "object_id", "actor_id", "data")
    )


def test_login_success_is_recorded_with_who_and_where(client, owner):
    _login(client, owner.email, PASSWORD)

    assert _audit_rows("login_succeeded") == [
        ("user", owner.pk, owner.pk, {"ip": "192.0.2.10", "user_agent": "Trình duyệt thử"})
    ]


def test_login_failure_is_recorded_against_the_account_it_named(client, owner):
    _login(client, "Chu-Tai-Khoan@example.vn", "sai-mat-khau")

    assert _audit_rows("login_failed") == [
        (
            "user",
            owner.pk,
            None,
            {
                "email": "chu-tai-khoan@example.vn",
                "locked_out": False,
                "ip": "192.0.2.10",
                "user_agent": "Trình duyệt thử",
            },
        )
    ]


def test_login_failure_for_an_unknown_address_is_recorded_against_the_user_model(client, db):
    _login(client, "khong-co@example.vn", "sai-mat-khau")

    user_type = ContentType.objects.get_for_model(User)
    assert _audit_rows("login_failed") == [
        (
            "contenttype",
            user_type.pk,
            None,
            {
                "email": "khong-co@example.vn",
                "locked_out": False,
                "ip": "192.0.2.10",
                "user_agent": "Trình duyệt thử",
            },
        )
    ]


def test_login_failure_that_locks_out_is_marked(client, owner):
    for i in range(5):
        _login(client, owner.email, f"sai-{i}")

    flags = [row[3]["locked_out"] for row in _audit_rows("login_failed")]

    assert flags == [False, False, False, False, True]


def test_logout_is_recorded(client, owner):
    _login(client, owner.email, PASSWORD)

    client.post(reverse("account_logout"))

    assert [row[:3] for row in _audit_rows("logged_out")] == [("user", owner.pk, owner.pk)]


def test_refused_access_to_another_units_page_is_recorded(client, owner):
    unit = UnitFactory()
    client.force_login(owner)

    response = client.get(reverse("units:dashboard", args=[unit.pk]))

    assert response.status_code in (403, 404)
    assert _audit_rows("access_refused") == [
        (
            "user",
            owner.pk,
            owner.pk,
            {
                "status": response.status_code,
                "method": "GET",
                "path": f"/don-vi/{unit.pk}/",
                "ip": "127.0.0.1",
            },
        )
    ]


def test_anonymous_not_found_is_not_written_to_the_event_log(client, db):
    response = client.get("/khong-ton-tai/")

    assert response.status_code == 404
    assert Event.objects.filter(action="access_refused").count() == 0


def test_audit_time_is_stored_in_utc_and_shown_in_vietnam_time(client, owner):
    _login(client, owner.email, PASSWORD)
    event = Event.objects.get(action="login_succeeded")

    with connection.cursor() as cursor:
        cursor.execute("SELECT at FROM contest_event WHERE id = %s", [event.pk])
        raw = cursor.fetchone()[0]
    stored = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(raw)
    if stored.tzinfo is not None:  # PostgreSQL hands back the instant itself (timestamptz)
        assert stored.utcoffset() == dt.timedelta(0)
    local = event.at.astimezone(dt.timezone(dt.timedelta(hours=7)))

    assert stored.replace(tzinfo=None) == event.at.astimezone(dt.UTC).replace(tzinfo=None)
    assert abs(timezone.now() - event.at) < dt.timedelta(seconds=30)
    assert instant(event.at) == f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def test_audit_rows_cannot_be_edited_or_deleted_by_the_application(client, owner):
    _login(client, owner.email, PASSWORD)
    event = Event.objects.get(action="login_succeeded")

    with pytest.raises(EventLogIsAppendOnly):
        Event.objects.filter(action="login_succeeded").update(reason="sửa")
    with pytest.raises(EventLogIsAppendOnly):
        event.delete()
    event.reason = "sửa"
    with pytest.raises(EventLogIsAppendOnly):
        event.save()

    assert Event.objects.get(pk=event.pk).reason == ""


def test_audit_rows_are_read_only_in_the_admin(owner):
    admin = verified_user("quan-tri@example.vn", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    _login(Client(), owner.email, PASSWORD)
    event = Event.objects.get(action="login_succeeded", object_id=owner.pk)

    delete = client.post(reverse("admin:contest_event_delete", args=[event.pk]), {"post": "yes"})

    assert delete.status_code == 403
    assert Event.objects.filter(pk=event.pk).count() == 1
