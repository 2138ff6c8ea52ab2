import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from contest.enums import Role
from judging.enums import SheetStatus
from judging.models import KnownModel, ScoreSheet, SimilarityFinding
from judging.services.assignment import assignment_add
from judging.services.imports import known_models_import, score_template, scores_import
from judging.services.similarity import similarity_scan
from tests.factories import UserFactory, accepted_entry, grant, judge_user, judging_contest


def _xlsx(rows, name="tep.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def setup(db):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    judge = judge_user(contest, email="gk3@example.vn")
    entry = accepted_entry(contest)
    assignment_add(contest=contest, entry=entry, judge=judge, by=secretariat)
    return contest, secretariat, judge, entry


HEADER = [
    "Thư điện tử giám khảo",
    "Mã bài dự thi",
    "Tiêu chí số",
    "Tên tiêu chí",
    "Điểm",
    "Nhận xét",
]


def test_scores_import_saves_and_submits_paper_sheet(setup):
    contest, secretariat, judge, entry = setup
    rows = [HEADER] + [
        ["GK3@example.vn", entry.tracking_code, i, "", p, "Phiếu giấy"]
        for i, p in enumerate([20, 15, 15, 10, 5], start=1)
    ]

    result = scores_import(contest=contest, upload=_xlsx(rows), by=secretariat)

    sheet = ScoreSheet.objects.get()
    assert (result.created, result.errors) == (1, [])
    assert (sheet.judge, sheet.status, sheet.source, str(sheet.total)) == (
        judge,
        SheetStatus.SUBMITTED,
        "paper",
        "65.000",
    )


def test_scores_import_one_bad_row_imports_nothing(setup):
    contest, secretariat, _judge, entry = setup
    other = accepted_entry(contest)
    rows = [HEADER] + [
        ["gk3@example.vn", entry.tracking_code, i, "", p, ""]
        for i, p in enumerate([20, 15, 15, 10, 5], start=1)
    ]
    rows += [
        ["gk3@example.vn", entry.tracking_code, 6, "", 1, ""],
        ["gk3@example.vn", other.tracking_code, 1, "", 1, ""],
        ["khong-phai@example.vn", entry.tracking_code, 1, "", 1, ""],
        ["gk3@example.vn", entry.tracking_code, 1, "", 45, ""],
    ]

    result = scores_import(contest=contest, upload=_xlsx(rows), by=secretariat)

    assert result.errors == [
        "Dòng 7: tiêu chí số “6” không có trong thang điểm.",
        f"Dòng 8: giám khảo gk3@example.vn không được phân công chấm bài {other.tracking_code}.",
        "Dòng 9: “khong-phai@example.vn” không phải giám khảo của cuộc thi.",
        "Dòng 10: Điểm “Tính mới, sáng tạo” phải từ 0 đến 30.",
    ]
    assert ScoreSheet.objects.count() == 0


def test_scores_import_missing_criterion_refused(setup):
    contest, secretariat, _judge, entry = setup
    rows = [HEADER, ["gk3@example.vn", entry.tracking_code, 1, "", 20, ""]]

    result = scores_import(contest=contest, upload=_xlsx(rows), by=secretariat)

    assert result.errors == [
        f"Dòng 2: phiếu của gk3@example.vn cho bài {entry.tracking_code} thiếu tiêu chí số "
        "2, 3, 4, 5."
    ]


def test_scores_import_not_a_spreadsheet(setup):
    from judging.errors import JudgingRefused

    contest, secretariat, _judge, _entry = setup

    with pytest.raises(JudgingRefused) as refused:
        scores_import(
            contest=contest, upload=SimpleUploadedFile("a.xlsx", b"not a zip"), by=secretariat
        )

    assert str(refused.value) == "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."


def test_score_template_lists_assignment_by_criterion(setup):
    contest, _secretariat, judge, entry = setup

    book = load_workbook(BytesIO(score_template(contest=contest)))

    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    assert [r[:3] for r in rows[1:]] == [(judge.email, entry.tracking_code, i) for i in range(1, 6)]


def test_known_models_import_all_or_nothing(setup):
    contest, secretariat, *_rest = setup
    rows = [
        ["Tên", "Mô tả", "Nơi áp dụng", "Nguồn"],
        ["Một cửa điện tử", "Tiếp nhận hồ sơ qua mạng", "Huyện A", "Báo cáo 2023"],
        ["", "Thiếu tên", "", ""],
        ["một cửa điện tử", "Trùng", "", ""],
    ]

    result = known_models_import(contest=contest, upload=_xlsx(rows), by=secretariat)

    assert result.errors == ["Dòng 3: thiếu tên mô hình, ý tưởng.", "Dòng 4: trùng tên với dòng 2."]
    assert KnownModel.objects.count() == 0


def test_similarity_scan_finds_near_duplicate_entries_and_known_models(setup):
    contest, secretariat, *_rest = setup
    text = (
        "Xây dựng phần mềm tiếp nhận và trả kết quả hồ sơ thủ tục hành chính qua mạng, "
        "người dân nhận thông báo bằng tin nhắn khi hồ sơ được giải quyết xong"
    )
    a = accepted_entry(contest, title="Hồ sơ trực tuyến")
    b = accepted_entry(contest, title="Trả kết quả qua tin nhắn")
    c = accepted_entry(contest, title="Trồng cây xanh")
    for entry, solution in ((a, text), (b, text + " tại xã"), (c, "Trồng cây ven đường quốc lộ")):
        entry.solution = solution
        entry.save(update_fields=["solution"])
    known_models_import(
        contest=contest,
        by=secretariat,
        upload=_xlsx([["Tên", "Mô tả"], ["Mô hình trả kết quả qua tin nhắn", text]]),
    )

    found = similarity_scan(contest=contest)

    findings = list(
        SimilarityFinding.objects.order_by("source", "entry_id").values_list(
            "source", "entry_id", "other_entry_id"
        )
    )
    assert found == 3
    assert findings == [
        ("entry", a.pk, b.pk),
        ("known_model", a.pk, None),
        ("known_model", b.pk, None),
    ]
    pair = SimilarityFinding.objects.get(source="entry")
    # The factory's summary "Tóm tắt giải pháp." comes first in both texts.
    assert pair.passages == ["tóm tắt giải pháp " + " ".join(re.findall(r"\w+", text.lower()))]
