"""Screening services: who may do what, from which state, and what each unit recorded."""

import pytest

from contest.enums import Role
from contest.models import Event
from submissions import screening
from submissions.enums import EDITABLE_BY_ENTRANT
from submissions.enums import EntryStatus as S
from submissions.models import Appraisal, Certification
from submissions.workflow import TransitionRefused
from tests.factories import UserFactory, grant
from tests.submissions.screening_setup import (
    build_world,
    certified_entry,
    forward,
    selected_entry,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


def test_screening_start_by_staff_locks_entry_for_entrant():
    world = build_world()
    entry = submitted_entry(world.dept_a)

    screening.entry_screening_start(entry=entry, by=world.staff(world.dept_a))

    entry.refresh_from_db()
    assert entry.status == S.SCREENING
    assert (entry.status in EDITABLE_BY_ENTRANT) is False


def test_screening_start_by_staff_of_other_unit_is_refused():
    world = build_world()
    entry = submitted_entry(world.dept_b)

    with pytest.raises(TransitionRefused):
        screening.entry_screening_start(entry=entry, by=world.staff(world.dept_a))

    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED


def test_reject_without_reason_is_refused():
    world = build_world()
    entry = submitted_entry(world.dept_a)
    screening.entry_screening_start(entry=entry, by=world.staff(world.dept_a))

    with pytest.raises(TransitionRefused, match="lý do"):
        screening.entry_reject(entry=entry, by=world.staff(world.dept_a), reason="  ")

    entry.refresh_from_db()
    assert entry.status == S.SCREENING


def test_reject_with_reason_emails_entrant(mailoutbox, django_capture_on_commit_callbacks):
    world = build_world()
    entry = submitted_entry(world.dept_a)
    staff = world.staff(world.dept_a)
    screening.entry_screening_start(entry=entry, by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        screening.entry_reject(entry=entry, by=staff, reason="Trùng ý tưởng đã áp dụng.")

    entry.refresh_from_db()
    assert entry.status == S.REJECTED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [entry.owner.email]
    assert "Lý do: Trùng ý tưởng đã áp dụng." in mailoutbox[0].body


def test_select_from_submitted_is_refused():
    world = build_world()
    entry = submitted_entry(world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.entry_select(entry=entry, by=world.staff(world.dept_a))


def test_select_by_head_is_refused():
    world = build_world()
    entry = submitted_entry(world.dept_a)
    screening.entry_screening_start(entry=entry, by=world.staff(world.dept_a))

    with pytest.raises(TransitionRefused):
        screening.entry_select(entry=entry, by=world.head(world.dept_a))


def test_certify_by_staff_is_refused():
    world = build_world()
    entry = selected_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.entry_certify(entry=entry, by=world.staff(world.dept_a), text="Khả thi.")

    assert Certification.objects.filter(entry=entry).count() == 0


def test_certify_by_head_of_other_unit_is_refused():
    world = build_world()
    entry = selected_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.entry_certify(entry=entry, by=world.head(world.dept_b), text="Khả thi.")


def test_certify_before_selection_is_refused():
    world = build_world()
    entry = submitted_entry(world.dept_a)
    screening.entry_screening_start(entry=entry, by=world.staff(world.dept_a))

    with pytest.raises(TransitionRefused):
        screening.entry_certify(entry=entry, by=world.head(world.dept_a), text="Khả thi.")


def test_certify_records_head_text_for_the_unit():
    world = build_world()
    entry = selected_entry(world, world.dept_a)
    head = world.head(world.dept_a)

    screening.entry_certify(entry=entry, by=head, text="Hiệu quả, khả thi cao.")

    entry.refresh_from_db()
    certification = Certification.objects.get(entry=entry)
    assert entry.status == S.CERTIFIED
    assert (certification.unit_id, certification.head_id, certification.text) == (
        world.dept_a.pk,
        head.pk,
        "Hiệu quả, khả thi cao.",
    )


def test_certify_without_text_is_refused():
    world = build_world()
    entry = selected_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.entry_certify(entry=entry, by=world.head(world.dept_a), text=" ")

    entry.refresh_from_db()
    assert entry.status == S.SELECTED


def test_pass_up_moves_entry_to_the_district():
    world = build_world()
    entry = certified_entry(world, world.commune)

    screening.entry_pass_up(entry=entry, by=world.staff(world.commune))

    entry.refresh_from_db()
    assert (entry.status, entry.holder_id, entry.unit_id) == (
        S.PASSED_UP,
        world.district.pk,
        world.commune.pk,
    )


def test_pass_up_by_district_is_refused():
    world = build_world()
    entry = certified_entry(world, world.district)

    with pytest.raises(TransitionRefused):
        screening.entry_pass_up(entry=entry, by=world.staff(world.district))

    entry.refresh_from_db()
    assert entry.status == S.CERTIFIED


def test_district_screens_passed_up_entry_and_commune_records_survive():
    world = build_world()
    entry = selected_entry(world, world.commune)
    screening.appraisal_record(
        entry=entry,
        by=world.staff(world.commune),
        appraiser_name="Nông Văn Xã",
        opinion="recommend",
        notes="Tốt",
    )
    screening.entry_certify(entry=entry, by=world.head(world.commune), text="Xã xác nhận.")
    screening.entry_pass_up(entry=entry, by=world.staff(world.commune))

    district_staff = world.staff(world.district)
    screening.entry_screening_start(entry=entry, by=district_staff)
    screening.entry_select(entry=entry, by=district_staff)
    screening.appraisal_record(
        entry=entry,
        by=district_staff,
        appraiser_name="Hoàng Huyện",
        opinion="with_notes",
        notes="Cần bổ sung số liệu",
    )
    screening.entry_certify(entry=entry, by=world.head(world.district), text="Huyện xác nhận.")

    entry.refresh_from_db()
    appraisals = {
        a.unit_id: (a.appraiser_name, a.opinion, a.notes)
        for a in Appraisal.objects.filter(entry=entry)
    }
    certifications = {c.unit_id: c.text for c in Certification.objects.filter(entry=entry)}
    assert entry.status == S.CERTIFIED
    assert appraisals == {
        world.commune.pk: ("Nông Văn Xã", "recommend", "Tốt"),
        world.district.pk: ("Hoàng Huyện", "with_notes", "Cần bổ sung số liệu"),
    }
    assert certifications == {
        world.commune.pk: "Xã xác nhận.",
        world.district.pk: "Huyện xác nhận.",
    }


def test_commune_cannot_appraise_after_passing_up():
    world = build_world()
    entry = certified_entry(world, world.commune)
    screening.entry_pass_up(entry=entry, by=world.staff(world.commune))

    with pytest.raises(TransitionRefused):
        screening.appraisal_record(
            entry=entry,
            by=world.staff(world.commune),
            appraiser_name="Nông Văn Xã",
            opinion="recommend",
        )


def test_appraisal_by_staff_of_other_unit_is_refused():
    world = build_world()
    entry = selected_entry(world, world.dept_b)

    with pytest.raises(TransitionRefused):
        screening.appraisal_record(
            entry=entry,
            by=world.staff(world.dept_a),
            appraiser_name="Người lạ",
            opinion="recommend",
        )

    assert Appraisal.objects.filter(entry=entry).count() == 0


def test_appraisal_with_unknown_opinion_is_refused():
    world = build_world()
    entry = selected_entry(world, world.dept_a)

    with pytest.raises(TransitionRefused):
        screening.appraisal_record(
            entry=entry, by=world.staff(world.dept_a), appraiser_name="Lê An", opinion="excellent"
        )


def test_nothing_the_unit_recorded_changes_after_forwarding():
    world = build_world()
    entry = selected_entry(world, world.dept_a)
    staff, head = world.staff(world.dept_a), world.head(world.dept_a)
    screening.appraisal_record(
        entry=entry, by=staff, appraiser_name="Lê An", opinion="recommend", notes="Ban đầu"
    )
    screening.entry_certify(entry=entry, by=head, text="Ban đầu xác nhận.")
    forward(world, world.dept_a, [entry])

    with pytest.raises(TransitionRefused, match="đã được gửi về Ban Tổ chức"):
        screening.appraisal_record(
            entry=entry, by=staff, appraiser_name="Lê An", opinion="not_recommend", notes="Sửa sau"
        )
    with pytest.raises(TransitionRefused, match="đã được gửi về Ban Tổ chức"):
        screening.certification_amend(entry=entry, by=head, text="Sửa sau")

    appraisal = Appraisal.objects.get(entry=entry)
    certification = Certification.objects.get(entry=entry)
    assert (appraisal.opinion, appraisal.notes) == ("recommend", "Ban đầu")
    assert certification.text == "Ban đầu xác nhận."


def test_certification_amend_before_forwarding_keeps_previous_text_in_log():
    world = build_world()
    entry = certified_entry(world, world.dept_a)

    screening.certification_amend(entry=entry, by=world.head(world.dept_a), text="Bản sửa.")

    event = Event.objects.filter(object_id=entry.pk, action="certification_corrected").get()
    assert Certification.objects.get(entry=entry).text == "Bản sửa."
    assert (event.data["previous"], event.data["text"]) == ("Hiệu quả, khả thi.", "Bản sửa.")


def test_secretariat_accepts_forwarded_entry(mailoutbox, django_capture_on_commit_callbacks):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    forward(world, world.dept_a, [entry])
    secretary = UserFactory()
    grant(secretary, world.contest, Role.SECRETARIAT)

    with django_capture_on_commit_callbacks(execute=True):
        screening.entry_accept(entry=entry, by=secretary)

    entry.refresh_from_db()
    assert entry.status == S.ACCEPTED
    assert [m.to for m in mailoutbox] == [[entry.owner.email]]


def test_secretariat_return_needs_reason_and_notifies_unit(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = build_world()
    world.dept_a.email = "vanthu@stp.langson.gov.vn"
    world.dept_a.save()
    entry = certified_entry(world, world.dept_a)
    forward(world, world.dept_a, [entry])
    secretary = UserFactory()
    grant(secretary, world.contest, Role.SECRETARIAT)
    with pytest.raises(TransitionRefused):
        screening.entry_return_ineligible(entry=entry, by=secretary, reason="")

    with django_capture_on_commit_callbacks(execute=True):
        screening.entry_return_ineligible(
            entry=entry, by=secretary, reason="Tác giả là thành viên Tổ giúp việc."
        )

    entry.refresh_from_db()
    assert entry.status == S.INELIGIBLE
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [entry.owner.email, "vanthu@stp.langson.gov.vn"]
    )
    assert all("Lý do: Tác giả là thành viên Tổ giúp việc." in m.body for m in mailoutbox)


def test_unit_staff_cannot_accept_forwarded_entry():
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    forward(world, world.dept_a, [entry])

    with pytest.raises(TransitionRefused):
        screening.entry_accept(entry=entry, by=world.staff(world.dept_a))


def test_secretariat_cannot_accept_entry_not_forwarded():
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    secretary = UserFactory()
    grant(secretary, world.contest, Role.SECRETARIAT)

    with pytest.raises(TransitionRefused):
        screening.entry_accept(entry=entry, by=secretary)

    entry.refresh_from_db()
    assert entry.status == S.CERTIFIED
