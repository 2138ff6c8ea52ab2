import io
import re
import subprocess
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.enums import AwardSetStatus
from awards.models import AwardSet, TieDecision
from contest.enums import Role
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return unicodedata.normalize("NFC", " ".join(out.split()))


@pytest.fixture
def organizer_client(client, contest):
    user = UserFactory()
    grant(user, contest, Role.ORGANIZER)
    client.force_login(user)
    return client


def test_dashboard_is_404_for_non_organizer(client, contest):
    user = UserFactory()
    grant(user, contest, Role.JUDGE)
    client.force_login(user)

    response = client.get(reverse("awards:dashboard", args=[contest.pk]))

    assert response.status_code == 404


def test_dashboard_is_404_for_missing_contest(organizer_client):
    response = organizer_client.get(reverse("awards:dashboard", args=[999999]))

    assert response.status_code == 404


def test_dashboard_requires_login(client, contest):
    response = client.get(reverse("awards:dashboard", args=[contest.pk]))

    assert response.status_code == 302


def test_compute_tie_and_approve_through_the_pages(organizer_client, contest):
    entries = [accepted_entry(contest) for _ in range(4)]
    approved_ranking(
        contest,
        kind=EntryKind.INDIVIDUAL,
        rows=[(entries[0], 90), (entries[1], 85), (entries[2], 85), (entries[3], 70)],
    )
    organizer_client.post(reverse("awards:compute", args=[contest.pk]))

    page = organizer_client.get(reverse("awards:dashboard", args=[contest.pk]))
    assert "Bằng điểm ở ranh giới giải" in page.content.decode()
    response = organizer_client.post(
        reverse("awards:decide_tie", args=[contest.pk, 0]),
        {
            "t0-place_1": entries[2].pk,
            "t0-place_2": entries[1].pk,
            "t0-reason": "Biên bản họp ngày 20/9/2025",
        },
    )
    assert response.status_code == 302
    organizer_client.post(reverse("awards:approve", args=[contest.pk]))

    award_set = AwardSet.objects.get(contest=contest)
    assert award_set.status == AwardSetStatus.APPROVED
    assert TieDecision.objects.get().ordered_entry_ids == [entries[2].pk, entries[1].pk]
    assert award_set.awards.get(tier__rank=2, kind=EntryKind.INDIVIDUAL).entry_id == entries[2].pk


def test_tie_decision_with_same_entry_twice_keeps_tie_pending(organizer_client, contest):
    entries = [accepted_entry(contest) for _ in range(3)]
    approved_ranking(
        contest,
        kind=EntryKind.INDIVIDUAL,
        rows=[(entries[0], 90), (entries[1], 85), (entries[2], 85)],
    )
    organizer_client.post(reverse("awards:compute", args=[contest.pk]))

    response = organizer_client.post(
        reverse("awards:decide_tie", args=[contest.pk, 0]),
        {"t0-place_1": entries[1].pk, "t0-place_2": entries[1].pk, "t0-reason": "x"},
        follow=True,
    )

    assert "Mỗi bài dự thi chỉ được chọn ở một vị trí." in response.content.decode()
    assert TieDecision.objects.count() == 0


def test_change_award_without_reason_shows_error(organizer_client, contest):
    entries = [accepted_entry(contest) for _ in range(2)]
    approved_ranking(contest, kind=EntryKind.INDIVIDUAL, rows=[(entries[0], 90), (entries[1], 80)])
    organizer_client.post(reverse("awards:compute", args=[contest.pk]))
    award = AwardSet.objects.get().awards.get(tier__rank=1, kind=EntryKind.INDIVIDUAL)

    response = organizer_client.post(
        reverse("awards:change_award", args=[contest.pk, award.pk]),
        {f"a{award.pk}-entry": entries[1].pk, f"a{award.pk}-reason": ""},
        follow=True,
    )

    assert "ghi lý do điều chỉnh" in response.content.decode()
    award.refresh_from_db()
    assert award.entry_id == entries[0].pk


def test_progress_endpoint_reports_rendered_certificates(client, awarded_contest):
    client.force_login(awarded_contest["organizer"])

    response = client.get(
        reverse("awards:certificates_progress", args=[awarded_contest["contest"].pk])
    )

    assert response.json() == {"total": 14, "rendered": 14, "failed": 0, "pending": 0, "done": True}


def test_merged_download_has_winners(client, awarded_contest, tmp_path):
    client.force_login(awarded_contest["organizer"])

    response = client.get(
        reverse("awards:certificates_merged", args=[awarded_contest["contest"].pk, "merit"])
    )

    text = _text(response.content, tmp_path)
    assert response["Content-Type"] == "application/pdf"
    assert "Nguyễn Thị Hường 0" in text
    assert "Lưu Văn Đức 0" in text


def test_annex_pdf_has_sections_total_and_words(client, awarded_contest, tmp_path):
    client.force_login(awarded_contest["organizer"])

    response = client.get(reverse("awards:annex_pdf", args=[awarded_contest["contest"].pk]))

    text = _text(response.content, tmp_path)
    assert "Phụ lục" in text
    assert (
        "(Kèm theo Quyết định số 2156/QĐ-UBND ngày 26 tháng 09 năm 2025 của Chủ tịch UBND tỉnh)"
        in text
    )
    assert "CÁ NHÂN" in text
    assert "TẬP THỂ" in text
    assert (
        "Tổng số tiền: 33.750.000 đồng (Bằng chữ: Ba mươi ba triệu bảy trăm năm mươi "
        "nghìn đồng chẵn)"
    ) in text


def test_annex_xlsx_rows_and_total(client, awarded_contest):
    client.force_login(awarded_contest["organizer"])

    response = client.get(reverse("awards:annex_xlsx", args=[awarded_contest["contest"].pk]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[4][:5] == (
        1,
        "Nguyễn Thị Hường 0",
        "Chuyên viên, Văn phòng UBND huyện",
        "Giải nhất",
        5_000_000,
    )
    assert next(r for r in rows if r[1] == "Tổng cộng")[4] == 33_750_000


def test_annex_is_404_before_approval(organizer_client, contest):
    response = organizer_client.get(reverse("awards:annex_pdf", args=[contest.pk]))

    assert response.status_code == 404


def test_reports_page_has_svg_charts(client, awarded_contest):
    client.force_login(awarded_contest["organizer"])

    response = client.get(reverse("awards:reports", args=[awarded_contest["contest"].pk]))

    content = response.content.decode()
    assert content.count('<svg xmlns="http://www.w3.org/2000/svg"') == 6
    assert "Theo lĩnh vực" in content


@pytest.mark.parametrize("count", [2, 8])
def test_reports_page_query_count_does_not_grow(client, contest, count, django_assert_num_queries):
    user = UserFactory()
    grant(user, contest, Role.SECRETARIAT)
    client.force_login(user)
    for _ in range(count):
        accepted_entry(contest)

    with django_assert_num_queries(16):
        response = client.get(reverse("awards:reports", args=[contest.pk]))

    assert response.status_code == 200


def test_report_pdf_has_official_parts(client, awarded_contest, tmp_path):
    client.force_login(awarded_contest["organizer"])

    response = client.get(reverse("awards:report_pdf", args=[awarded_contest["contest"].pk]))

    text = _text(response.content, tmp_path)
    for part in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Kính gửi: Ủy ban nhân dân tỉnh",
        "Nơi nhận:",
        "TRƯỞNG BAN",
        "Cuộc thi nhận được 15 bài dự thi",
        "33.750.000",
    ]:
        assert part in text


def test_entries_xlsx_lists_every_entry(client, awarded_contest):
    client.force_login(awarded_contest["organizer"])

    response = client.get(reverse("awards:entries_xlsx", args=[awarded_contest["contest"].pk]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 16
    assert rows[0][0] == "Mã bài"
    assert sorted(r[11] for r in rows[1:] if r[11]) == sorted(
        ["Giải nhất"] * 2 + ["Giải nhì"] * 2 + ["Giải ba"] * 4 + ["Giải khuyến khích"] * 6
    )


def test_layout_edit_saves_offsets_and_rejects_bad_input(organizer_client, contest):
    url = reverse("awards:layout", args=[contest.pk, "merit"])
    organizer_client.get(url)
    data = {}
    for field in [
        "recipient",
        "position",
        "achievement",
        "decision",
        "gold_book",
        "number",
        "place_date",
        "signer_title",
        "signer_name",
    ]:
        data.update(
            {
                f"{field}-x_mm": "30",
                f"{field}-y_mm": "100",
                f"{field}-width_mm": "200",
                f"{field}-font_size_pt": "14",
            }
        )
    data["recipient-x_mm"] = "abc"

    bad = organizer_client.post(url, data)
    data["recipient-x_mm"] = "31.5"
    good = organizer_client.post(url, data)

    assert bad.status_code == 200
    assert "Vui lòng sửa các ô được đánh dấu." in bad.content.decode()
    assert good.status_code == 302
    from awards.models import BlankLayout

    assert (
        str(
            BlankLayout.objects.get(
                contest=contest, certificate_kind="merit", field="recipient"
            ).x_mm
        )
        == "31.5"
    )


def test_settings_page_saves_decision_fields(organizer_client, contest):
    url = reverse("awards:settings", args=[contest.pk])
    form = organizer_client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "id"}
    data.update(
        {
            "decision_number": "99/QĐ-UBND",
            "decision_signer_name": "Lê Văn A",
            "decision_date": "2025-09-28",
        }
    )

    response = organizer_client.post(url, data)

    assert response.status_code == 302
    from awards.models import AwardSettings

    assert AwardSettings.objects.get(contest=contest).decision_number == "99/QĐ-UBND"


def test_report_names_the_30_largest_units_and_sums_the_rest(db, client):
    from awards.selectors import contest_statistics
    from tests.factories import ContestFactory, UnitFactory, accepted_entry

    contest = ContestFactory()
    units = [UnitFactory(contest=contest, name=f"Đơn vị {i:02d}") for i in range(33)]
    for i, unit in enumerate(units):
        for _ in range(2 if i < 3 else 1):
            accepted_entry(contest, unit=unit)

    by_unit = contest_statistics(contest=contest)["by_unit"]

    assert len(by_unit) == 31
    assert by_unit[:3] == [("Đơn vị 00", 2), ("Đơn vị 01", 2), ("Đơn vị 02", 2)]
    assert by_unit[-1] == ("Các đơn vị khác (3 đơn vị)", 3)
    assert sum(n for _label, n in by_unit) == 36


def test_reports_page_keeps_its_counts_for_a_short_time_and_says_when_counted(
    db, client, totals_cache
):
    from django.core.cache import cache

    from tests.factories import ContestFactory, UserFactory, accepted_entry, grant

    contest = ContestFactory()
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    accepted_entry(contest)
    client.force_login(organizer)
    url = reverse("awards:reports", args=[contest.pk])

    first = client.get(url).content.decode()
    accepted_entry(contest)
    kept = client.get(url).content.decode()
    cache.clear()
    fresh = client.get(url).content.decode()

    total = re.compile(r'<p class="h3 mb-0">(\d+)</p><p class="small mb-0">bài dự thi đã gửi')
    assert [total.search(html).group(1) for html in (first, kept, fresh)] == ["1", "1", "2"]
    assert "Số liệu tổng hợp lúc" in kept
    cache.clear()
