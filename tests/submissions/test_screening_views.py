"""Unit and secretariat pages: nobody reaches another unit's entries by any URL or form
field, bad input never errors, lists run a constant number of queries."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contest.enums import CommitteeBody, Role
from contest.models import CommitteeMember
from submissions.enums import EntryStatus as S
from submissions.models import Appraisal, ForwardingBatch
from tests.factories import UserFactory, grant
from tests.submissions.screening_setup import (
    build_world,
    certified_entry,
    forward,
    selected_entry,
    submitted_entry,
)

pytestmark = pytest.mark.django_db

ACTIONS = [
    "entry_start_screening",
    "entry_reject",
    "entry_select",
    "entry_appraise",
    "entry_certify",
    "entry_certify_amend",
    "entry_pass_up",
]
ACTION_DATA = {
    "reason": "Lý do",
    "appraiser_name": "Lê An",
    "opinion": "recommend",
    "notes": "",
    "text": "Khả thi.",
}


def _secretary(world):
    user = UserFactory()
    grant(user, world.contest, Role.SECRETARIAT)
    return user


def test_staff_of_unit_a_cannot_see_unit_b_dashboard_or_entries(client):
    world = build_world()
    theirs = submitted_entry(world.dept_b)
    client.force_login(world.staff(world.dept_a))

    responses = [
        client.get(reverse("units:dashboard", args=[world.dept_b.pk])),
        client.get(reverse("units:entry", args=[world.dept_a.pk, theirs.pk])),
        client.get(reverse("units:entry", args=[world.dept_b.pk, theirs.pk])),
        client.get(reverse("units:forward", args=[world.dept_b.pk])),
        client.get(reverse("units:explanation", args=[world.dept_b.pk])),
        client.get(reverse("units:dashboard", args=[999999])),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    own = client.get(reverse("units:dashboard", args=[world.dept_a.pk]))
    assert theirs.tracking_code not in own.content.decode()


@pytest.mark.parametrize("action", ACTIONS)
def test_staff_of_unit_a_cannot_act_on_unit_b_entry(client, action):
    world = build_world()
    theirs = submitted_entry(world.dept_b)
    client.force_login(world.staff(world.dept_a))

    via_own_unit = client.post(
        reverse(f"units:{action}", args=[world.dept_a.pk, theirs.pk]), ACTION_DATA
    )
    via_their_unit = client.post(
        reverse(f"units:{action}", args=[world.dept_b.pk, theirs.pk]), ACTION_DATA
    )

    theirs.refresh_from_db()
    assert (via_own_unit.status_code, via_their_unit.status_code) == (404, 404)
    assert theirs.status == S.SUBMITTED
    assert Appraisal.objects.count() == 0


def test_batch_form_with_unit_b_entry_id_is_refused(client):
    world = build_world()
    mine = certified_entry(world, world.dept_a)
    theirs = certified_entry(world, world.dept_b)
    client.force_login(world.staff(world.dept_a))

    response = client.post(
        reverse("units:forward", args=[world.dept_a.pk]),
        {
            "channel": "ioffice",
            "dispatch_number": "5/CV",
            "dispatch_date": "2025-07-01",
            "entries": [mine.pk, theirs.pk],
        },
    )

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert response.status_code == 400
    assert (mine.status, theirs.status) == (S.CERTIFIED, S.CERTIFIED)
    assert ForwardingBatch.objects.count() == 0
    assert "5/CV" in response.content.decode()  # what was typed is kept


def test_unit_staff_screen_select_and_forward_through_pages(client):
    world = build_world()
    entry = submitted_entry(world.dept_a)
    staff, head = world.staff(world.dept_a), world.head(world.dept_a)
    client.force_login(staff)
    client.post(reverse("units:entry_start_screening", args=[world.dept_a.pk, entry.pk]))
    client.post(reverse("units:entry_select", args=[world.dept_a.pk, entry.pk]))
    client.post(
        reverse("units:entry_appraise", args=[world.dept_a.pk, entry.pk]),
        {"appraiser_name": "Lê An", "opinion": "recommend", "notes": "Tốt"},
    )
    client.force_login(head)
    client.post(
        reverse("units:entry_certify", args=[world.dept_a.pk, entry.pk]), {"text": "Khả thi."}
    )
    client.force_login(staff)

    response = client.post(
        reverse("units:forward", args=[world.dept_a.pk]),
        {
            "channel": "post",
            "dispatch_number": "7/STP",
            "dispatch_date": "2025-07-01",
            "entries": [entry.pk],
        },
    )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.status == S.FORWARDED
    letter = client.get(
        reverse("units:cover_letter", args=[world.dept_a.pk, entry.forwarding_batch_id])
    )
    assert (letter.status_code, letter["Content-Type"]) == (200, "application/pdf")


def test_reject_without_reason_keeps_page_with_error(client):
    world = build_world()
    entry = submitted_entry(world.dept_a)
    client.force_login(world.staff(world.dept_a))
    client.post(reverse("units:entry_start_screening", args=[world.dept_a.pk, entry.pk]))

    response = client.post(
        reverse("units:entry_reject", args=[world.dept_a.pk, entry.pk]), {"reason": ""}
    )

    entry.refresh_from_db()
    assert response.status_code == 400
    assert entry.status == S.SCREENING
    assert "Vui lòng nêu lý do." in response.content.decode()


def test_head_amends_the_certification_from_the_entry_page_until_it_is_forwarded(client):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    head = world.head(world.dept_a)
    url = reverse("units:entry_certify_amend", args=[world.dept_a.pk, entry.pk])
    client.force_login(head)

    page = client.get(reverse("units:entry", args=[world.dept_a.pk, entry.pk])).content.decode()
    empty = client.post(url, {"text": "  "})
    amended = client.post(url, {"text": "Khả thi; đã áp dụng thử ở bộ phận một cửa."})
    certification = entry.certifications.get()
    forward(world, world.dept_a, [entry])
    late = client.post(url, {"text": "Sửa sau khi gửi."})

    assert url in page
    assert empty.status_code == 400 and "Vui lòng" in empty.content.decode()
    assert amended.status_code == 302
    assert certification.text == "Khả thi; đã áp dụng thử ở bộ phận một cửa."
    assert late.status_code == 400 and "đã được gửi về Ban Tổ chức" in late.content.decode()
    assert entry.certifications.get().text == certification.text


def test_staff_cannot_amend_the_heads_certification(client):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    before = entry.certifications.get().text
    client.force_login(world.staff(world.dept_a))

    page = client.get(reverse("units:entry", args=[world.dept_a.pk, entry.pk])).content.decode()
    client.post(
        reverse("units:entry_certify_amend", args=[world.dept_a.pk, entry.pk]),
        {"text": "Nhân viên tự sửa."},
    )

    assert "entry_certify_amend" not in page and "/xac-nhan/sua/" not in page
    assert entry.certifications.get().text == before


def test_head_cannot_select_through_page(client):
    world = build_world()
    entry = submitted_entry(world.dept_a)
    client.force_login(world.staff(world.dept_a))
    client.post(reverse("units:entry_start_screening", args=[world.dept_a.pk, entry.pk]))
    client.force_login(world.head(world.dept_a))

    client.post(reverse("units:entry_select", args=[world.dept_a.pk, entry.pk]))

    entry.refresh_from_db()
    assert entry.status == S.SCREENING


def test_district_sees_entries_passed_up_by_its_communes(client):
    world = build_world()
    passed = certified_entry(world, world.commune)
    client.force_login(world.staff(world.commune))
    client.post(reverse("units:entry_pass_up", args=[world.commune.pk, passed.pk]))
    other_district_entry = submitted_entry(world.dept_b)
    client.force_login(world.staff(world.district))

    page = client.get(reverse("units:dashboard", args=[world.district.pk])).content.decode()
    detail = client.get(reverse("units:entry", args=[world.district.pk, passed.pk]))

    assert passed.tracking_code in page
    assert other_district_entry.tracking_code not in page
    assert detail.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense", "category": "abc", "kind": "x", "sort": "drop table", "page": "-3"},
        {"q": "a" * 500, "page": "999999"},
        {"category": "99999999999999999999", "sort": "-status"},
    ],
)
def test_dashboard_ignores_bad_parameters(client, params):
    world = build_world()
    submitted_entry(world.dept_a)
    client.force_login(world.staff(world.dept_a))

    response = client.get(reverse("units:dashboard", args=[world.dept_a.pk]), params)

    assert response.status_code == 200


def test_dashboard_filters_by_status_and_searches_code(client):
    world = build_world()
    screened = selected_entry(world, world.dept_a, title="Chuyển đổi số bộ phận một cửa")
    waiting = submitted_entry(world.dept_a, title="Tiếp nhận hồ sơ qua Zalo")
    client.force_login(world.staff(world.dept_a))
    url = reverse("units:dashboard", args=[world.dept_a.pk])

    by_status = client.get(url, {"status": "selected"}).content.decode()
    by_code = client.get(url, {"q": waiting.tracking_code}).content.decode()

    assert (screened.tracking_code in by_status, waiting.tracking_code in by_status) == (
        True,
        False,
    )
    assert (screened.tracking_code in by_code, waiting.tracking_code in by_code) == (False, True)


@pytest.mark.parametrize("n_entries", [10, 500])
def test_dashboard_query_count_is_constant(client, n_entries, django_assert_num_queries):
    world = build_world()
    for _ in range(n_entries):
        submitted_entry(world.district)
    forward(world, world.district, [certified_entry(world, world.district)])
    client.force_login(world.staff(world.district))
    url = reverse("units:dashboard", args=[world.district.pk])

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url, {"sort": "category"})

    assert response.status_code == 200


DASHBOARD_QUERIES = 11


def test_secretariat_pages_are_404_for_unit_staff(client):
    world = build_world()
    client.force_login(world.staff(world.dept_a))

    codes = [
        client.get(reverse(name, args=[world.contest.pk])).status_code
        for name in ("secretariat:compliance", "secretariat:intake", "secretariat:compliance_xlsx")
    ]

    assert codes == [404, 404, 404]


def test_compliance_board_shows_status_and_exports_xlsx(client):
    world = build_world()
    client.force_login(_secretary(world))

    page = client.get(
        reverse("secretariat:compliance", args=[world.contest.pk]),
        {"type": "department", "sort": "-name", "status": "bogus"},
    )
    export = client.get(
        reverse("secretariat:compliance_xlsx", args=[world.contest.pk]), {"type": "department"}
    )

    sheet = load_workbook(BytesIO(export.content)).active
    names = [sheet.cell(row=r, column=2).value for r in range(5, sheet.max_row + 1)]
    assert page.status_code == 200
    assert "Chưa đủ, chưa có văn bản giải trình" in page.content.decode()
    assert names == ["Sở Tư pháp", "Sở Y tế"]


@pytest.mark.parametrize("n_entries", [10, 500])
def test_compliance_board_query_count_is_constant(client, n_entries, django_assert_num_queries):
    world = build_world()
    units = [world.district, world.commune, world.dept_a, world.dept_b]
    for i in range(n_entries):
        submitted_entry(units[i % 4])
    client.force_login(_secretary(world))

    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(reverse("secretariat:compliance", args=[world.contest.pk]))

    assert response.status_code == 200


BOARD_QUERIES = 6


def test_intake_warns_about_committee_member_duplicate_and_missing_revision(client):
    world = build_world()
    CommitteeMember.objects.create(
        contest=world.contest, body=CommitteeBody.JURY, full_name="Trần Quốc Bảo"
    )
    judged = certified_entry(world, world.dept_a, authors=("Trần Quốc Bảo",))
    twice_a = certified_entry(
        world, world.dept_a, title="Số hóa hồ sơ đất đai", authors=("Lê Văn An",)
    )
    submitted_entry(world.dept_b, title="Số hoá hồ sơ  đất đai", authors=("Lê Văn An",))
    revised = certified_entry(
        world, world.dept_a, competed_before=True, previous_contest_name="Cuộc thi sáng kiến 2024"
    )
    forward(world, world.dept_a, [judged, twice_a, revised])
    client.force_login(_secretary(world))

    page = client.get(reverse("secretariat:intake", args=[world.contest.pk])).content.decode()

    assert "Tác giả Trần Quốc Bảo trùng với thành viên" in page
    assert "Có thể trùng bài" in page and "Sở Y tế" in page
    assert "thiếu giải trình nội dung chỉnh sửa" in page


def test_secretariat_accepts_and_returns_through_intake(client):
    world = build_world()
    kept = certified_entry(world, world.dept_a)
    returned = certified_entry(world, world.dept_a)
    forward(world, world.dept_a, [kept, returned])
    client.force_login(_secretary(world))

    client.post(reverse("secretariat:entry_accept", args=[world.contest.pk, kept.pk]))
    blank = client.post(
        reverse("secretariat:entry_return", args=[world.contest.pk, returned.pk]), {"reason": ""}
    )
    client.post(
        reverse("secretariat:entry_return", args=[world.contest.pk, returned.pk]),
        {"reason": "Trùng bài đã dự thi năm trước."},
    )

    kept.refresh_from_db()
    returned.refresh_from_db()
    assert blank.status_code == 400
    assert (kept.status, returned.status) == (S.ACCEPTED, S.INELIGIBLE)


def test_secretariat_cannot_act_on_entry_not_forwarded(client):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    client.force_login(_secretary(world))

    response = client.post(reverse("secretariat:entry_accept", args=[world.contest.pk, entry.pk]))

    entry.refresh_from_db()
    assert response.status_code == 404
    assert entry.status == S.CERTIFIED


def test_explanation_upload_through_page(client):
    world = build_world()
    client.force_login(world.staff(world.dept_a))
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        reverse("units:explanation", args=[world.dept_a.pk]),
        {"reason": "Không có bài.", "document": SimpleUploadedFile("x.pdf", b"not pdf")},
    )
    good = client.post(
        reverse("units:explanation", args=[world.dept_a.pk]),
        {"reason": "Không có bài.", "document": SimpleUploadedFile("x.pdf", b"%PDF-1.4 ok")},
    )

    assert (bad.status_code, good.status_code) == (400, 302)
    assert "Không có bài." in bad.content.decode()
