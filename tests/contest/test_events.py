"""The event log is append-only: in the model layer everywhere, in the database on
PostgreSQL (a trigger, migration contest/0002)."""

import pytest
from django.db import IntegrityError, connection, transaction

from contest.models import Event, EventLogIsAppendOnly
from contest.services import contest_set_phase, event_record


@pytest.fixture
def event(contest):
    return event_record(
        target=contest,
        action="phase_changed",
        from_state="draft",
        to_state="open",
        reason="Phát động cuộc thi",
    )


def test_event_record_writes_who_when_from_to_why(contest, event):
    stored = Event.objects.get(pk=event.pk)

    assert (
        stored.contest_id,
        stored.object_id,
        stored.action,
        stored.from_state,
        stored.to_state,
        stored.reason,
    ) == (contest.pk, contest.pk, "phase_changed", "draft", "open", "Phát động cuộc thi")
    assert stored.target == contest


def test_event_save_of_existing_row_is_refused(event):
    event.reason = "sửa lại"

    with pytest.raises(EventLogIsAppendOnly):
        event.save()

    assert Event.objects.get(pk=event.pk).reason == "Phát động cuộc thi"


def test_event_queryset_update_is_refused(event):
    with pytest.raises(EventLogIsAppendOnly):
        Event.objects.filter(pk=event.pk).update(reason="sửa lại")

    assert Event.objects.get(pk=event.pk).reason == "Phát động cuộc thi"


def test_event_delete_is_refused(event):
    with pytest.raises(EventLogIsAppendOnly):
        event.delete()

    assert Event.objects.filter(pk=event.pk).count() == 1


def test_event_queryset_delete_is_refused(event):
    with pytest.raises(EventLogIsAppendOnly):
        Event.objects.all().delete()

    assert Event.objects.count() == 1


def test_event_log_refuses_raw_sql_change_in_the_database(event):
    if connection.vendor != "postgresql":
        # SQLite (the embedded default) has no trigger: the model layer is the guard there.
        with pytest.raises(EventLogIsAppendOnly):
            Event.objects.filter(pk=event.pk).update(action="xoá dấu vết")
        assert Event.objects.get(pk=event.pk).action == "phase_changed"
        return

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE contest_event SET action = %s WHERE id = %s", ["xoá dấu vết", event.pk]
        )
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM contest_event WHERE id = %s", [event.pk])

    assert Event.objects.filter(pk=event.pk).values_list("action", flat=True).get() == (
        "phase_changed"
    )


def test_contest_set_phase_writes_an_event(contest):
    contest.phase = "draft"
    contest.save(update_fields=["phase"])

    contest_set_phase(contest=contest, phase="open", reason="Phát động")

    contest.refresh_from_db()
    events = list(
        Event.objects.filter(object_id=contest.pk, action="phase_changed").values_list(
            "from_state", "to_state", "reason"
        )
    )
    assert contest.phase == "open"
    assert events == [("draft", "open", "Phát động")]


def test_contest_set_phase_to_the_same_phase_writes_nothing(contest):
    contest_set_phase(contest=contest, phase=contest.phase)

    assert Event.objects.count() == 0
