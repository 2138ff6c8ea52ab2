"""Forwarding batches: only before the deadline, only the unit's own certified entries,
all or nothing, with a cover letter."""

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader

from submissions import screening
from submissions.enums import EntryStatus as S
from submissions.models import ForwardingBatch
from submissions.workflow import TransitionRefused
from tests.factories import ContestFactory
from tests.submissions.screening_setup import (
    build_world,
    certified_entry,
    forward,
    selected_entry,
)

pytestmark = pytest.mark.django_db


def test_forwarding_one_second_after_deadline_is_refused_with_deadline_shown():
    world = build_world(ContestFactory())  # deadline: 15/07/2025 00:00 (Asia/Ho_Chi_Minh)
    entry = certified_entry(world, world.dept_a)
    late = world.contest.forwarding_deadline + dt.timedelta(seconds=1)

    with pytest.raises(TransitionRefused) as refused:
        forward(world, world.dept_a, [entry], at=late)

    entry.refresh_from_db()
    assert str(refused.value) == (
        "Đã hết hạn gửi bài về Ban Tổ chức. Hạn gửi là 00:00 ngày 15/07/2025 (giờ Việt Nam); "
        "bài phải được gửi trước thời điểm này."
    )
    assert entry.status == S.CERTIFIED
    assert ForwardingBatch.objects.count() == 0


def test_forwarding_exactly_at_deadline_is_refused():
    world = build_world(ContestFactory())
    entry = certified_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        forward(world, world.dept_a, [entry], at=world.contest.forwarding_deadline)


def test_forwarding_one_second_before_deadline_is_allowed():
    world = build_world(ContestFactory())
    entry = certified_entry(world, world.dept_a)
    on_time = world.contest.forwarding_deadline - dt.timedelta(seconds=1)

    batch = forward(world, world.dept_a, [entry], number="12/STP-VP", at=on_time)

    entry.refresh_from_db()
    assert (entry.status, entry.forwarding_batch_id) == (S.FORWARDED, batch.pk)
    assert (batch.unit_id, batch.dispatch_number, batch.forwarded_at) == (
        world.dept_a.pk,
        "12/STP-VP",
        on_time,
    )


def test_batch_with_entry_of_another_unit_is_refused_and_changes_nothing():
    world = build_world()
    mine = certified_entry(world, world.dept_a)
    theirs = certified_entry(world, world.dept_b)

    with pytest.raises(TransitionRefused):
        forward(world, world.dept_a, [mine, theirs])

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (S.CERTIFIED, S.CERTIFIED)
    assert ForwardingBatch.objects.count() == 0


def test_batch_with_uncertified_entry_is_refused():
    world = build_world()
    certified = certified_entry(world, world.dept_a)
    only_selected = selected_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        forward(world, world.dept_a, [certified, only_selected])

    certified.refresh_from_db()
    assert certified.status == S.CERTIFIED


def test_empty_batch_is_refused():
    world = build_world()

    with pytest.raises(TransitionRefused):
        forward(world, world.dept_a, [])


def test_commune_cannot_forward():
    world = build_world()
    entry = certified_entry(world, world.commune)

    with pytest.raises(TransitionRefused):
        forward(world, world.commune, [entry])

    entry.refresh_from_db()
    assert entry.status == S.CERTIFIED


def test_head_cannot_forward():
    world = build_world()
    entry = certified_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.forwarding_batch_create(
            unit=world.dept_a,
            by=world.head(world.dept_a),
            channel="post",
            dispatch_number="1/CV",
            dispatch_date=dt.date(2025, 7, 1),
            entry_ids=[entry.pk],
        )


def test_forwarding_renders_cover_letter_and_emails_entrants(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = build_world()
    first = certified_entry(
        world, world.dept_a, title="Số hóa hồ sơ đất đai", authors=("Lê Văn An", "Đỗ Thị Bình")
    )
    second = certified_entry(world, world.dept_a, title="Một cửa liên thông điện tử")

    with django_capture_on_commit_callbacks(execute=True):
        batch = forward(world, world.dept_a, [first, second], number="125/STP-VP")

    batch.refresh_from_db()
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(batch.cover_letter.read())).pages)
    assert "Kính gửi: Sở Nội vụ" in text
    assert "Số: 125/STP-VP" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert first.tracking_code in text and second.tracking_code in text
    assert "Đỗ Thị Bình" in text
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.owner.email, second.owner.email])


def test_cover_letter_is_rendered_once():
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    batch = forward(world, world.dept_a, [entry])
    from submissions.cover_letter import cover_letter_store

    first = cover_letter_store(batch_id=batch.pk)
    second = cover_letter_store(batch_id=batch.pk)

    assert (first, second) == (True, False)
