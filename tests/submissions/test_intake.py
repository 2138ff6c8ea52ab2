import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from contest.enums import CommitteeBody, Role
from contest.models import CommitteeMember, Event
from submissions import services
from submissions.enums import EntryForm, EntryKind, EntryStatus, FilePurpose
from submissions.models import Entry
from submissions.services import EntryNotReady
from submissions.workflow import entry_transition
from tests.factories import UnitFactory, UserFactory, district_with_communes, grant
from tests.submissions.intake_support import (
    author,
    docx_upload,
    open_contest,
    ready_draft,
)

pytestmark = pytest.mark.django_db
CODE = re.compile(r"^CC(\d\d)-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def messages_of(problems: dict, step: str) -> list[str]:
    return [p.message for p in problems.get(step, [])]


@pytest.fixture
def world():
    contest = open_contest()
    unit = UnitFactory(contest=contest, name="Sở Tư pháp")
    owner = UserFactory(full_name="Nguyễn Thị Hoa")
    return contest, unit, owner


# --- submit -----------------------------------------------------------------------------


def test_entry_submit_complete_draft_gets_code_and_one_event(
    world, django_capture_on_commit_callbacks
):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.entry_submit(entry=entry, by=owner)

    submitted.refresh_from_db()
    events = list(Event.objects.filter(object_id=entry.pk, action="submitted"))
    assert (
        submitted.status,
        submitted.holder_id,
        bool(CODE.match(submitted.tracking_code)),
        submitted.tracking_code[2:4],
        len(events),
    ) == (EntryStatus.SUBMITTED, unit.pk, True, f"{contest.year % 100:02d}", 1)
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_entry_submit_sends_receipt_mail_once_with_hashes(
    world, django_capture_on_commit_callbacks
):
    contest, unit, owner = world
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=unit,
        authors=[author("Nguyễn Thị Hoa", email="hoa@example.vn")],
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(entry=entry, by=owner)
    again = services.entry_send_receipt(entry_id=entry.pk)

    entry.refresh_from_db()
    sha = entry.files.get().sha256
    assert (len(mail.outbox), mail.outbox[0].to, again) == (1, ["hoa@example.vn"], False)
    assert entry.tracking_code in mail.outbox[0].subject
    assert sha in mail.outbox[0].body
    [(name, content, mimetype)] = mail.outbox[0].attachments
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert (name, mimetype) == (f"bien-nhan-{entry.tracking_code}.pdf", "application/pdf")
    flat = " ".join(text.split())  # table cells wrap
    assert entry.tracking_code in flat and "Nguyễn Thị Hoa" in flat and sha in flat


def test_entry_submit_twice_gives_one_submission(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    first = services.entry_submit(entry=entry, by=owner)
    second = services.entry_submit(entry=Entry.objects.get(pk=entry.pk), by=owner)

    assert (
        second.tracking_code,
        Event.objects.filter(object_id=entry.pk, action="submitted").count(),
    ) == (first.tracking_code, 1)


def test_review_post_double_click_one_entry_one_event_second_redirects(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    client.force_login(owner)
    url = reverse("submissions:review", args=[entry.pk])

    first = client.post(url)
    second = client.post(url)

    receipt = reverse("submissions:receipt", args=[entry.pk])
    assert (first.status_code, first.url, second.status_code, second.url) == (
        302,
        receipt,
        302,
        receipt,
    )
    assert Entry.objects.filter(owner=owner, status=EntryStatus.SUBMITTED).count() == 1
    assert Event.objects.filter(object_id=entry.pk, action="submitted").count() == 1


def test_tracking_code_alphabet_has_no_ambiguous_characters(world):
    contest, _unit, _owner = world

    codes = {services.tracking_code_new(contest=contest) for _ in range(300)}

    assert all(CODE.match(code) for code in codes)
    assert not set("".join(codes)) & set("01OIL")


def test_entry_submit_code_collision_retries(world, monkeypatch):
    contest, unit, owner = world
    taken = ready_draft(contest=contest, owner=owner, unit=unit, title="Bài thứ nhất")
    services.entry_submit(entry=taken, by=owner)
    taken.refresh_from_db()
    entry = ready_draft(contest=contest, owner=owner, unit=unit, title="Một giải pháp khác hẳn")
    codes = iter([taken.tracking_code, "CC25-ABCD-EFGH"])
    monkeypatch.setattr(services, "tracking_code_new", lambda contest: next(codes))

    submitted = services.entry_submit(entry=entry, by=owner)

    assert submitted.tracking_code == "CC25-ABCD-EFGH"


# --- rules ------------------------------------------------------------------------------


def test_entry_problems_group_of_one_author(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_authors(
        entry=entry, by=owner, kind=EntryKind.GROUP, authors=[author("Nguyễn Thị Hoa")]
    )

    with pytest.raises(EntryNotReady) as refused:
        services.entry_submit(entry=entry, by=owner)

    assert messages_of(refused.value.problems, "authors") == [
        "Nhóm tác giả phải có từ 02 người trở lên. Hãy thêm tác giả, hoặc chọn “Cá nhân” nếu "
        "chỉ có một người."
    ]


def test_entry_problems_group_without_representative(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_authors(
        entry=entry,
        by=owner,
        kind=EntryKind.GROUP,
        authors=[
            author("Nguyễn Thị Hoa", representative=False),
            author("Lý Văn Nam", representative=False),
        ],
    )

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "authors") == ["Nhóm tác giả phải chọn đúng một người đại diện."]


def test_entry_problems_representative_without_phone(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_authors(
        entry=entry,
        by=owner,
        kind=EntryKind.GROUP,
        authors=[author("Nguyễn Thị Hoa", phone=""), author("Lý Văn Nam", representative=False)],
    )

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "authors") == [
        "Người đại diện (Nguyễn Thị Hoa) phải có địa chỉ và số điện thoại liên lạc."
    ]


def test_entry_problems_excluded_co_author_matched_by_phone(world):
    contest, unit, owner = world
    CommitteeMember.objects.create(
        contest=contest, body=CommitteeBody.JURY, full_name="Trần Quốc Bảo", phone="+84 915 000 111"
    )
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=unit,
        kind=EntryKind.GROUP,
        authors=[
            author("Nguyễn Thị Hoa"),
            author("Trần Quốc Bảo", representative=False, phone="0915000111"),
        ],
    )

    with pytest.raises(EntryNotReady) as refused:
        services.entry_submit(entry=entry, by=owner)

    assert messages_of(refused.value.problems, "authors") == [
        "Trần Quốc Bảo là thành viên Ban Giám khảo của cuộc thi nên không được dự thi (kể cả "
        "tham gia trong nhóm tác giả)."
    ]


def test_entry_problems_excluded_author_matched_by_email_and_user(world):
    contest, unit, owner = world
    CommitteeMember.objects.create(
        contest=contest,
        body=CommitteeBody.SUPPORT,
        full_name="Đinh Thị Lan",
        email="LAN@example.vn",
    )
    CommitteeMember.objects.create(
        contest=contest, body=CommitteeBody.ORGANIZING, full_name="Nguyễn Thị Hoa", user=owner
    )
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=unit,
        kind=EntryKind.GROUP,
        authors=[
            author("Nguyễn Thị Hoa", email=owner.email),
            author("Đinh Thị Lan", representative=False, email="lan@example.vn", phone=""),
        ],
    )

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "authors") == [
        "Nguyễn Thị Hoa là thành viên Ban Tổ chức của cuộc thi nên không được dự thi (kể cả "
        "tham gia trong nhóm tác giả).",
        "Đinh Thị Lan là thành viên Tổ giúp việc, Tổ Thư ký của cuộc thi nên không được dự thi "
        "(kể cả tham gia trong nhóm tác giả).",
    ]


def test_entry_problems_committee_of_other_contest_does_not_exclude(world):
    contest, unit, owner = world
    other = open_contest()
    CommitteeMember.objects.create(
        contest=other, body=CommitteeBody.JURY, full_name="Nguyễn Thị Hoa", phone="0912345678"
    )
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    assert services.entry_problems(entry=entry) == {}


def test_entry_submit_same_authors_near_same_title_at_second_unit_is_refused(world):
    contest, unit, owner = world
    first = ready_draft(
        contest=contest, owner=owner, unit=unit, title="Số hóa hồ sơ một cửa cấp xã"
    )
    services.entry_submit(entry=first, by=owner)
    first.refresh_from_db()
    district, _communes = district_with_communes(contest, name="UBND huyện Cao Lộc")
    second = ready_draft(
        contest=contest, owner=owner, unit=district, title="  SỐ HÓA hồ sơ  một cửa cấp xã. "
    )

    with pytest.raises(EntryNotReady) as refused:
        services.entry_submit(entry=second, by=owner)

    assert messages_of(refused.value.problems, "unit") == [
        f"Các tác giả này đã gửi bài “Số hóa hồ sơ một cửa cấp xã” (mã {first.tracking_code}) "
        "cho Sở Tư pháp. Mỗi bài dự thi chỉ được gửi cho một đầu mối tiếp nhận."
    ]


def test_entry_submit_same_author_different_idea_is_allowed(world):
    contest, unit, owner = world
    first = ready_draft(contest=contest, owner=owner, unit=unit, title="Số hóa hồ sơ một cửa")
    services.entry_submit(entry=first, by=owner)
    other_unit = UnitFactory(contest=contest)
    second = ready_draft(
        contest=contest,
        owner=owner,
        unit=other_unit,
        title="Ứng dụng chấm điểm mức độ hài lòng của người dân",
    )

    submitted = services.entry_submit(entry=second, by=owner)

    assert submitted.status == EntryStatus.SUBMITTED


def test_entry_submit_same_title_after_withdrawal_is_allowed(world):
    contest, unit, owner = world
    first = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=first, by=owner)
    services.entry_withdraw(entry=Entry.objects.get(pk=first.pk), by=owner)
    second = ready_draft(contest=contest, owner=owner, unit=UnitFactory(contest=contest))

    assert services.entry_submit(entry=second, by=owner).status == EntryStatus.SUBMITTED


def test_entry_submit_one_second_after_unit_deadline_is_refused(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    deadline = contest.forwarding_deadline

    with pytest.raises(EntryNotReady) as refused:
        services.entry_submit(entry=entry, by=owner, at=deadline + dt.timedelta(seconds=1))

    assert len(messages_of(refused.value.problems, "unit")) == 1
    assert messages_of(refused.value.problems, "unit")[0].startswith(
        "Đã hết hạn nhận bài của Sở Tư pháp. Hạn nộp là "
    )


def test_entry_submit_at_unit_deadline_exactly_is_refused_one_second_before_accepted(world):
    contest, unit, owner = world
    unit.intake_deadline = contest.forwarding_deadline - dt.timedelta(days=5)
    unit.save()
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    with pytest.raises(EntryNotReady):
        services.entry_submit(entry=entry, by=owner, at=unit.intake_deadline)
    submitted = services.entry_submit(
        entry=entry, by=owner, at=unit.intake_deadline - dt.timedelta(seconds=1)
    )

    assert submitted.status == EntryStatus.SUBMITTED


def test_entry_problems_competed_before_without_explanation(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_form(
        entry=entry,
        by=owner,
        form=EntryForm.WRITTEN,
        competed_before=True,
        previous_contest_name="",
        revision_explanation="",
    )

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "files") == [
        "Bài đã dự thi cuộc thi khác: cần ghi rõ tên cuộc thi đã tham dự.",
        "Bài đã dự thi cuộc thi khác: cần giải trình nội dung đã chỉnh sửa, hoàn thiện (nhập "
        "nội dung hoặc tải lên văn bản giải trình).",
    ]


def test_entry_problems_competed_before_explained_by_document(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_form(
        entry=entry,
        by=owner,
        form=EntryForm.WRITTEN,
        competed_before=True,
        previous_contest_name="Cuộc thi Sáng kiến 2024",
    )
    services.entry_file_add(
        entry=entry, by=owner, upload=docx_upload("giai-trinh.docx"), purpose=FilePurpose.REVISION
    )

    assert services.entry_problems(entry=entry) == {}


def test_entry_problems_video_entry_needs_video_and_content_text(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    entry.files.all().delete()
    services.entry_save_form(entry=entry, by=owner, form=EntryForm.VIDEO, competed_before=False)

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "files") == [
        "Bài dự thi dạng video cần tải lên tệp video ở mục tài liệu kèm theo.",
        "Bài dự thi dạng video, hình ảnh, phần mềm phải kèm bản viết nội dung, ý tưởng (Word "
        ".docx hoặc PDF).",
    ]


def test_entry_problems_image_attachment_without_written_text(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    entry.files.all().delete()
    png = SimpleUploadedFile("so-do.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    services.entry_file_add(entry=entry, by=owner, upload=png, purpose=FilePurpose.ATTACHMENT)

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "files") == [
        "Cần tải lên tài liệu chính của bài viết (Word .docx hoặc PDF).",
        "Bài dự thi dạng video, hình ảnh, phần mềm phải kèm bản viết nội dung, ý tưởng (Word "
        ".docx hoặc PDF).",
    ]


def test_entry_problems_declaration_and_consent_required(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_save_declaration(
        entry=entry, by=owner, declaration_accepted=False, consent_accepted=False
    )

    problems = services.entry_problems(entry=entry)

    assert messages_of(problems, "declaration") == [
        "Cần xác nhận cam kết đủ điều kiện dự thi.",
        "Cần đồng ý cho UBND tỉnh sử dụng bài dự thi.",
    ]


def test_entry_set_unit_of_another_contest_is_refused(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    foreign = UnitFactory(contest=open_contest())

    with pytest.raises(EntryNotReady) as refused:
        services.entry_set_unit(entry=entry, by=owner, unit_id=foreign.pk)

    entry.refresh_from_db()
    assert (messages_of(refused.value.problems, "unit"), entry.unit_id) == (
        ["Đầu mối tiếp nhận không hợp lệ; vui lòng chọn trong danh sách."],
        unit.pk,
    )


def test_entry_save_by_another_user_is_refused(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    with pytest.raises(PermissionDenied):
        services.entry_save_idea(entry=entry, by=UserFactory(), title="Chiếm bài")


def test_entry_edit_after_screening_started_is_refused(world):
    contest, unit, owner = world
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)
    entry_transition(entry=Entry.objects.get(pk=entry.pk), to=EntryStatus.SCREENING, by=staff)

    with pytest.raises(Exception) as refused:
        services.entry_save_idea(entry=entry, by=owner, title="Đổi tên")

    assert refused.value.messages == [
        "Đơn vị tiếp nhận đã bắt đầu sơ loại nên bài dự thi không thể sửa nữa."
    ]


def test_entry_edit_after_submit_records_event_and_keeps_rules(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)

    services.entry_save_idea(entry=entry, by=owner, title="Số hóa hồ sơ một cửa cấp xã (sửa)")
    with pytest.raises(EntryNotReady):
        services.entry_save_idea(entry=entry, by=owner, title="")

    entry.refresh_from_db()
    assert (
        entry.title,
        entry.status,
        Event.objects.filter(object_id=entry.pk, action="edited").count(),
    ) == ("Số hóa hồ sơ một cửa cấp xã (sửa)", EntryStatus.SUBMITTED, 1)


# --- views ------------------------------------------------------------------------------


def test_start_post_creates_draft_with_profile_author(world, client):
    _contest, _unit, owner = world
    client.force_login(owner)

    response = client.post(reverse("submissions:start"))

    entry = Entry.objects.get(owner=owner)
    assert (
        response.status_code,
        response.url,
        entry.status,
        list(entry.authors.values_list("full_name", flat=True)),
    ) == (
        302,
        reverse("submissions:step", args=[entry.pk, "tac-gia"]),
        EntryStatus.DRAFT,
        ["Nguyễn Thị Hoa"],
    )


def test_authors_step_group_of_one_shows_error_and_keeps_typed(world, client):
    contest, _unit, owner = world
    entry = services.entry_start(contest=contest, owner=owner)
    client.force_login(owner)
    data = {
        "kind": "group",
        "tac_gia-TOTAL_FORMS": "1",
        "tac_gia-INITIAL_FORMS": "1",
        "tac_gia-0-full_name": "Nguyễn Thị Hoa",
        "tac_gia-0-job_title": "Chuyên viên",
        "tac_gia-0-workplace": "Sở Tư pháp",
        "tac_gia-0-address": "Lạng Sơn",
        "tac_gia-0-phone": "0912 345 678",
        "tac_gia-0-is_representative": "on",
        "action": "next",
    }

    response = client.post(reverse("submissions:step", args=[entry.pk, "tac-gia"]), data)

    entry.refresh_from_db()
    assert response.status_code == 200
    assert "Nhóm tác giả phải có từ 02 người trở lên." in response.content.decode()
    assert (entry.kind, list(entry.authors.values_list("phone", flat=True))) == (
        EntryKind.GROUP,
        ["0912345678"],
    )


def test_files_step_bad_file_refused_good_file_kept(world, client):
    contest, _unit, owner = world
    entry = services.entry_start(contest=contest, owner=owner)
    client.force_login(owner)
    liar = SimpleUploadedFile("video.mp4", b"%PDF-1.4 not a video")

    response = client.post(
        reverse("submissions:step", args=[entry.pk, "tep"]),
        {
            "form": "written",
            "main_document": docx_upload(),
            "attachments": [liar],
            "competed_before": "on",
            "previous_contest_name": "Cuộc thi Sáng kiến 2024",
            "action": "next",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung tệp “video.mp4” không khớp với đuôi .mp4" in page
    assert list(entry.files.values_list("original_name", flat=True)) == ["bai-du-thi.docx"]
    assert "bai-du-thi.docx" in page
    entry.refresh_from_db()
    assert entry.previous_contest_name == "Cuộc thi Sáng kiến 2024"


def test_files_step_missing_revision_explanation_shows_message(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    client.force_login(owner)

    response = client.post(
        reverse("submissions:step", args=[entry.pk, "tep"]),
        {
            "form": "written",
            "competed_before": "on",
            "previous_contest_name": "Cuộc thi 2024",
            "revision_explanation": "",
            "action": "next",
        },
    )

    assert response.status_code == 200
    assert (
        "Bài đã dự thi cuộc thi khác: cần giải trình nội dung đã chỉnh sửa, hoàn thiện"
        in response.content.decode()
    )


def test_unit_step_tampered_unit_id_is_refused(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    foreign = UnitFactory(contest=open_contest())
    client.force_login(owner)
    url = reverse("submissions:step", args=[entry.pk, "don-vi"])

    responses = [
        client.post(url, {"unit": str(value), "action": "next"})
        for value in (foreign.pk, 999999, "abc")
    ]

    entry.refresh_from_db()
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(
        "Đầu mối tiếp nhận không hợp lệ; vui lòng chọn trong danh sách." in r.content.decode()
        for r in responses
    )
    assert entry.unit_id == unit.pk


def test_unit_step_commune_label_names_its_district(world, client):
    contest, _unit, owner = world
    district, _communes = district_with_communes(contest, name="UBND huyện Tràng Định", communes=1)
    entry = services.entry_start(contest=contest, owner=owner)
    client.force_login(owner)

    response = client.get(
        reverse("submissions:step", args=[entry.pk, "don-vi"]), {"nhom": f"xa-{district.pk}"}
    )

    assert "UBND xã Thử 1 (UBND huyện Tràng Định)" in response.content.decode()


@pytest.mark.parametrize("name", ["step", "review", "receipt", "withdraw", "receipt_pdf"])
def test_other_users_entry_in_url_is_404(world, client, name):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)
    client.force_login(UserFactory())
    args = [entry.pk, "tac-gia"] if name == "step" else [entry.pk]

    response = client.get(reverse(f"submissions:{name}", args=args))

    assert response.status_code == 404


def test_file_download_owner_gets_attachment_other_user_404(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    stored = entry.files.get()
    stored.original_name = "Bài dự thi.docx"
    stored.save()
    url = reverse("submissions:file_download", args=[stored.pk])

    client.force_login(owner)
    mine = client.get(url)
    body = b"".join(mine.streaming_content)
    client.force_login(UserFactory())
    theirs = client.get(url)

    assert (
        mine.status_code,
        mine["Content-Disposition"],
        mine["X-Content-Type-Options"],
        theirs.status_code,
    ) == (
        200,
        "attachment; filename=\"Bi d thi.docx\"; filename*=UTF-8''B%C3%A0i%20d%E1%BB%B1%20thi.docx",
        "nosniff",
        404,
    )
    assert body[:2] == b"PK"


def test_file_download_unit_staff_and_secretariat_allowed_other_unit_404(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)
    url = reverse("submissions:file_download", args=[entry.files.get().pk])
    staff, secretary, stranger = UserFactory(), UserFactory(), UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    grant(secretary, contest, Role.SECRETARIAT)
    grant(stranger, contest, Role.UNIT_STAFF, UnitFactory(contest=contest))

    codes = []
    for user in (staff, secretary, stranger):
        client.force_login(user)
        codes.append(client.get(url).status_code)

    assert codes == [200, 200, 404]


def test_review_shows_problems_and_does_not_submit(world, client):
    contest, _unit, owner = world
    entry = services.entry_start(contest=contest, owner=owner)
    client.force_login(owner)

    response = client.post(reverse("submissions:review", args=[entry.pk]))

    entry.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, entry.status) == (200, EntryStatus.DRAFT)
    assert "Chọn một lĩnh vực dự thi." in page
    assert "Chọn một đầu mối tiếp nhận." in page


def test_withdraw_post_moves_to_withdrawn(world, client):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)
    client.force_login(owner)

    response = client.post(reverse("submissions:withdraw", args=[entry.pk]), {"reason": "Sửa"})

    entry.refresh_from_db()
    assert (response.status_code, entry.status) == (302, EntryStatus.WITHDRAWN)


def test_step_after_screening_started_redirects_to_receipt(world, client):
    contest, unit, owner = world
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    entry = ready_draft(contest=contest, owner=owner, unit=unit)
    services.entry_submit(entry=entry, by=owner)
    entry_transition(entry=Entry.objects.get(pk=entry.pk), to=EntryStatus.SCREENING, by=staff)
    client.force_login(owner)

    response = client.post(
        reverse("submissions:step", args=[entry.pk, "y-tuong"]), {"title": "Đổi"}
    )

    entry.refresh_from_db()
    assert (response.status_code, response.url, entry.title) == (
        302,
        reverse("submissions:receipt", args=[entry.pk]),
        "Số hóa hồ sơ một cửa cấp xã",
    )


# --- paper entries ----------------------------------------------------------------------


def _paper_post(unit, scan=None, **overrides):
    category = unit.contest.categories.order_by("position").first()
    data = {
        "received_via": "ioffice",
        "paper_reference": "Số 12/UBND ngày 02/6",
        "kind": "group",
        "category": str(category.pk),
        "title": "Bản đồ số thủ tục",
        "summary": "",
        "form": "written",
        "declaration_accepted": "on",
        "tac_gia-TOTAL_FORMS": "2",
        "tac_gia-INITIAL_FORMS": "0",
        "tac_gia-0-full_name": "Hoàng Văn A",
        "tac_gia-0-job_title": "Nông dân",
        "tac_gia-0-address": "Xã Hợp Thành",
        "tac_gia-0-phone": "0987654321",
        "tac_gia-0-is_representative": "on",
        "tac_gia-1-full_name": "Lý Thị B",
        "tac_gia-1-job_title": "Giáo viên",
        "tac_gia-1-workplace": "Trường Tiểu học Hợp Thành",
        "action": "submit",
    }
    if scan is not None:
        data["scan"] = scan
    data.update(overrides)
    return data


def test_paper_entry_registered_by_unit_staff(world, client, django_capture_on_commit_callbacks):
    contest, unit, _owner = world
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("submissions:paper_new", args=[unit.pk]),
            _paper_post(unit, scan=docx_upload("ban-quet.docx")),
        )

    entry = Entry.objects.get(entered_by_staff=staff)
    event = Event.objects.get(object_id=entry.pk, action="registered_on_paper")
    assert (
        response.status_code,
        entry.status,
        entry.owner_id,
        entry.received_via,
        entry.holder_id,
        event.actor_id,
    ) == (302, EntryStatus.SUBMITTED, None, "ioffice", unit.pk, staff.pk)
    assert list(entry.files.values_list("purpose", flat=True)) == [FilePurpose.SCAN]
    assert entry.files.get().extracted_text == "Giải pháp một cửa điện tử cấp xã"


def test_paper_entry_without_scan_keeps_draft_with_message(world, client):
    contest, unit, _owner = world
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    client.force_login(staff)

    response = client.post(reverse("submissions:paper_new", args=[unit.pk]), _paper_post(unit))

    entry = Entry.objects.get(entered_by_staff=staff)
    assert (response.status_code, entry.status, entry.title) == (
        200,
        EntryStatus.DRAFT,
        "Bản đồ số thủ tục",
    )
    assert "Cần tải lên bản quét bài dự thi nộp giấy." in response.content.decode()


def test_paper_entry_page_for_staff_of_another_unit_is_404(world, client):
    contest, unit, _owner = world
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, UnitFactory(contest=contest))
    client.force_login(staff)

    response = client.get(reverse("submissions:paper_new", args=[unit.pk]))

    assert response.status_code == 404


# --- text extraction --------------------------------------------------------------------


def test_file_upload_extracts_text_after_commit(world, django_capture_on_commit_callbacks):
    contest, _unit, owner = world
    entry = services.entry_start(contest=contest, owner=owner)

    with django_capture_on_commit_callbacks(execute=True):
        stored = services.entry_file_add(
            entry=entry,
            by=owner,
            upload=docx_upload(text="Cải cách thủ tục"),
            purpose=FilePurpose.MAIN,
        )
    services.entry_file_extract_text(file_id=stored.pk)  # running twice changes nothing

    stored.refresh_from_db()
    assert stored.extracted_text == "Cải cách thủ tục"


def test_main_document_upload_replaces_previous(world):
    contest, unit, owner = world
    entry = ready_draft(contest=contest, owner=owner, unit=unit)

    services.entry_file_add(
        entry=entry, by=owner, upload=docx_upload("ban-moi.docx"), purpose=FilePurpose.MAIN
    )

    assert list(entry.files.values_list("original_name", flat=True)) == ["ban-moi.docx"]
