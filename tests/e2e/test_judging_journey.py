"""From accepted entries to a ranking, in a real browser: the secretariat assigns, a judge
declares a conflict, two judges score blind, a third judge's paper sheets come from a
spreadsheet, and the secretariat sees the ranking."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from openpyxl import Workbook
from playwright.sync_api import expect

from contest.enums import Role
from judging.models import Assignment, RankingRow
from judging.services.jury import judging_settings_for
from tests.factories import UserFactory, accepted_entry, grant, judge_user, judging_contest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET_AUTHOR = "Lương Thị Bí Mật"


def _login(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _check(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"judging-{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _score(page, values: list[str]) -> None:
    inputs = page.locator("input[type=number]")
    for i, value in enumerate(values):
        inputs.nth(i).fill(value)
    page.get_by_role("button", name="Nộp phiếu").click()
    expect(page.get_by_text("Đã nộp phiếu chấm.")).to_be_visible()


def test_judging_journey(page, live_server, artifacts_dir, tmp_path):
    contest = judging_contest()
    judging_settings_for(contest=contest)
    secretariat = UserFactory(full_name="Đinh Thị Lan")
    grant(secretariat, contest, Role.SECRETARIAT)
    a = judge_user(contest, full_name="Trần Quốc Bảo")
    b = judge_user(contest, full_name="Phạm Thu Trang")
    c = judge_user(contest, full_name="Hà Văn Giấy", email="giay@example.vn")
    first = accepted_entry(
        contest, title="Một cửa điện tử liên thông", author_names=[SECRET_AUTHOR]
    )
    second = accepted_entry(
        contest, title="Trả kết quả qua tin nhắn", author_names=["Nông Văn Khác"]
    )
    base = f"{live_server.url}/cham-thi/{contest.slug}"

    # A judge declares a conflict (titles and categories only, no names).
    _login(page, live_server, a)
    page.goto(f"{base}/giam-khao/xung-dot/")
    assert SECRET_AUTHOR not in page.content()
    page.get_by_label("Bài dự thi").select_option(str(second.pk))
    page.get_by_label("Lý do").select_option("colleague")
    page.get_by_role("button", name="Khai báo").click()
    expect(page.get_by_text("Đã ghi nhận khai báo xung đột lợi ích.")).to_be_visible()
    _check(page, artifacts_dir, "1-conflict")

    # The secretariat assigns automatically; the conflict is respected.
    _login(page, live_server, secretariat)
    page.goto(f"{base}/thu-ky/phan-cong/")
    page.get_by_role("button", name="Phân công tự động").click()
    expect(page.get_by_text("Đã phân công tự động 5 lượt chấm.")).to_be_visible()
    _check(page, artifacts_dir, "2-assignments")
    assert sorted(Assignment.objects.values_list("entry_id", "judge_id")) == sorted(
        [(first.pk, a.pk), (first.pk, b.pk), (first.pk, c.pk), (second.pk, b.pk), (second.pk, c.pk)]
    )

    # Two judges score blind.
    _login(page, live_server, a)
    page.goto(f"{base}/giam-khao/")
    _check(page, artifacts_dir, "3-queue")
    page.get_by_role("link", name="Một cửa điện tử liên thông").click()
    assert SECRET_AUTHOR not in page.content()
    _check(page, artifacts_dir, "4-sheet")
    _score(page, ["28", "18", "18", "16", "8"])  # 88
    assert SECRET_AUTHOR not in page.content()

    _login(page, live_server, b)
    for title, values in (
        ("Một cửa điện tử liên thông", ["24", "16", "16", "14", "6"]),  # 76
        ("Trả kết quả qua tin nhắn", ["20", "15", "15", "12", "6"]),
    ):  # 68
        page.goto(f"{base}/giam-khao/")
        page.get_by_role("link", name=title).click()
        assert SECRET_AUTHOR not in page.content()
        _score(page, values)

    # The third judge's paper sheets come from a spreadsheet.
    book = Workbook()
    book.active.append(
        [
            "Thư điện tử giám khảo",
            "Mã bài dự thi",
            "Tiêu chí số",
            "Tên tiêu chí",
            "Điểm",
            "Nhận xét",
        ]
    )
    for entry, points in ((first, [25, 17, 17, 15, 8]), (second, [22, 14, 14, 12, 6])):  # 82, 68
        for position, value in enumerate(points, start=1):
            book.active.append([c.email, entry.tracking_code, position, "", value, "Phiếu giấy"])
    path = tmp_path / "phieu-cham.xlsx"
    book.save(path)
    _login(page, live_server, secretariat)
    page.goto(f"{base}/thu-ky/nhap-diem/")
    page.get_by_label("Tệp bảng tính (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Nhập điểm").click()
    expect(page.get_by_text("Đã nhập 2 phiếu chấm giấy.")).to_be_visible()
    _check(page, artifacts_dir, "5-import")

    page.goto(f"{base}/thu-ky/tien-do/")
    _check(page, artifacts_dir, "6-progress")

    # The secretariat computes and sees the ranking.
    page.goto(f"{base}/xep-hang/")
    page.get_by_role("button", name="Tính lại bảng xếp hạng").click()
    expect(page.get_by_text("Đã tính bảng xếp hạng.")).to_be_visible()
    _check(page, artifacts_dir, "7-ranking")
    assert list(RankingRow.objects.order_by("position").values_list("entry_id", "score")) == [
        (first.pk, Decimal("82.000")),
        (second.pk, Decimal("68.000")),
    ]
    expect(page.get_by_role("cell", name=first.tracking_code)).to_be_visible()
