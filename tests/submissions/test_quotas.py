"""Quotas: what counts for whom, the compliance status, and a constant query count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contest.enums import UnitType
from submissions import screening
from submissions.quotas import ComplianceStatus, compliance_rows, unit_quota_progress
from tests.factories import EntryFactory, UnitFactory
from tests.submissions.screening_setup import (
    build_world,
    certified_at_district_from_commune,
    certified_entry,
    forward,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


def _rows(world):
    return {r.unit_id: r for r in compliance_rows(contest=world.contest)}


def _explain(world, unit):
    return screening.explanation_letter_file(
        unit=unit,
        by=world.staff(unit),
        reason="Đơn vị không có ý tưởng đạt yêu cầu.",
        document=SimpleUploadedFile("giai-trinh.pdf", b"%PDF-1.4 test", "application/pdf"),
    )


def test_commune_entries_forwarded_by_district_count_for_district():
    world = build_world()
    from_commune = certified_at_district_from_commune(world)
    own = [certified_entry(world, world.district) for _ in range(2)]

    forward(world, world.district, [from_commune, *own])

    row = _rows(world)[world.district.pk]
    assert (row.minimum, row.received, row.selected, row.forwarded, row.status) == (
        3,
        3,
        3,
        3,
        ComplianceStatus.MET,
    )


def test_communes_have_no_row_of_their_own():
    world = build_world()

    unit_types = {r.unit_type for r in compliance_rows(contest=world.contest)}

    assert UnitType.COMMUNE not in unit_types
    assert unit_quota_progress(unit=world.commune) is None


def test_received_excludes_drafts_and_includes_commune_intake():
    world = build_world()
    EntryFactory(contest=world.contest, unit=world.district)  # a draft
    submitted_entry(world.district)
    submitted_entry(world.commune)
    submitted_entry(world.other_commune)

    row = _rows(world)[world.district.pk]

    assert (row.received, row.selected, row.forwarded) == (3, 0, 0)


def test_department_without_entries_is_missing_then_explained():
    world = build_world()
    before = _rows(world)[world.dept_a.pk].status

    _explain(world, world.dept_a)

    after = _rows(world)[world.dept_a.pk]
    assert (before, after.status, after.explanation_filed) == (
        ComplianceStatus.MISSING,
        ComplianceStatus.EXPLAINED,
        True,
    )


def test_organisation_without_entries_is_encouraged_not_missing():
    world = build_world()

    row = _rows(world)[world.organisation.pk]

    assert (row.minimum, row.mandatory, row.status) == (1, False, ComplianceStatus.ENCOURAGED)


def test_district_short_of_three_is_missing():
    world = build_world()
    forward(world, world.district, [certified_entry(world, world.district)])

    row = _rows(world)[world.district.pk]

    assert (row.forwarded, row.short_by, row.status) == (1, 2, ComplianceStatus.MISSING)


def test_board_filters_and_sorts():
    world = build_world()
    forward(world, world.dept_b, [certified_entry(world, world.dept_b)])

    departments = compliance_rows(
        contest=world.contest, unit_type=UnitType.DEPARTMENT, sort="-forwarded"
    )
    missing = compliance_rows(contest=world.contest, status=ComplianceStatus.MISSING, sort="name")
    ignored = compliance_rows(contest=world.contest, unit_type="bogus", status="x", sort="-nothing")

    assert [r.unit_id for r in departments] == [world.dept_b.pk, world.dept_a.pk]
    assert [r.name for r in missing] == ["Sở Tư pháp", "UBND huyện Cao Lộc"]
    assert len(ignored) == 4


def test_explanation_letter_must_be_pdf_or_word():
    world = build_world()

    with pytest.raises(screening.ScreeningRefused):
        screening.explanation_letter_file(
            unit=world.dept_a,
            by=world.staff(world.dept_a),
            reason="Lý do",
            document=SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", "application/pdf"),
        )


def test_commune_cannot_file_explanation():
    world = build_world()

    with pytest.raises(screening.ScreeningRefused):
        _explain(world, world.commune)


def _populate(world, n_entries: int) -> None:
    units = [world.district, world.commune, world.dept_a, world.dept_b, world.organisation]
    for i in range(n_entries):
        submitted_entry(units[i % len(units)])
    for _ in range(max(1, n_entries // 50)):
        UnitFactory(contest=world.contest, unit_type=UnitType.CENTRAL)


@pytest.mark.parametrize("n_entries", [10, 500])
def test_compliance_rows_query_count_is_constant(n_entries, django_assert_num_queries):
    world = build_world()
    _populate(world, n_entries)
    forward(world, world.dept_a, [certified_entry(world, world.dept_a)])
    _explain(world, world.dept_b)

    with django_assert_num_queries(2):
        rows = compliance_rows(contest=world.contest, sort="status")

    assert sum(r.received for r in rows) == n_entries + 1
