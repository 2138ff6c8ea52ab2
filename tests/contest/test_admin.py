"""The admin validates what the models' clean() and constraints hold."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contest.models import Event, Unit
from tests.factories import UnitFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _unit_form(unit, *, date, time):
    return {
        "contest": unit.contest_id,
        "code": unit.code,
        "name": unit.name,
        "unit_type": unit.unit_type,
        "parent": "",
        "email": "",
        "is_active": "on",
        "intake_deadline_0": date,
        "intake_deadline_1": time,
    }


def test_admin_refuses_unit_intake_deadline_after_forwarding(admin_client, contest):
    unit = UnitFactory(contest=contest)

    response = admin_client.post(
        reverse("admin:contest_unit_change", args=[unit.pk]),
        _unit_form(unit, date="2025-07-15", time="00:00:01"),
    )

    unit.refresh_from_db()
    assert response.status_code == 200
    assert (
        "Hạn nhận bài của đơn vị không được muộn hơn hạn gửi bài về Ban Tổ chức "
        "(trước 00:00 ngày 15/07/2025)."
    ) in response.content.decode()
    assert unit.intake_deadline is None


def test_admin_saves_unit_intake_deadline_before_forwarding(admin_client, contest):
    unit = UnitFactory(contest=contest)

    response = admin_client.post(
        reverse("admin:contest_unit_change", args=[unit.pk]),
        _unit_form(unit, date="2025-07-10", time="00:00:00"),
    )

    unit.refresh_from_db()
    assert response.status_code == 302
    assert unit.intake_deadline == dt.datetime(2025, 7, 10, tzinfo=VN)


def test_admin_unit_changes_are_recorded(admin_client, contest):
    unit = UnitFactory(contest=contest)

    admin_client.post(
        reverse("admin:contest_unit_change", args=[unit.pk]),
        _unit_form(unit, date="2025-07-10", time="00:00:00"),
    )

    event = Event.objects.get(action="unit_intake_deadline_set")
    assert event.object_id == unit.pk


def test_admin_event_log_is_read_only(admin_client, contest):
    from contest.services import event_record

    event = event_record(target=contest, action="phase_changed")

    change = admin_client.get(reverse("admin:contest_event_change", args=[event.pk]))
    delete = admin_client.post(
        reverse("admin:contest_event_delete", args=[event.pk]), {"post": "yes"}
    )

    assert change.status_code == 200
    assert delete.status_code == 403
    assert Event.objects.filter(pk=event.pk).count() == 1


def test_admin_contest_change_page_shows_the_prize_fund(admin_client, contest):
    response = admin_client.get(reverse("admin:contest_contest_change", args=[contest.pk]))

    assert response.status_code == 200
    assert "33.750.000" in response.content.decode()


def test_admin_unit_list_shows_units(admin_client, contest):
    Unit.objects.create(contest=contest, code="so-y-te", name="Sở Y tế", unit_type="department")

    response = admin_client.get(reverse("admin:contest_unit_changelist"))

    assert response.status_code == 200
    assert "Sở Y tế" in response.content.decode()
