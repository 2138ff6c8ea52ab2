"""A commune passes an entry up, the district forwards it with two of its own, and the
secretariat's compliance board shows who met their quota, in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from contest.enums import Role
from tests.factories import UserFactory, grant
from tests.submissions.screening_setup import build_world, submitted_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_accessible(page) -> None:
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _open_entry(page, live_server, unit, entry) -> None:
    page.goto(f"{live_server.url}/don-vi/{unit.pk}/bai/{entry.pk}/")


def _screen_and_select(page, live_server, unit, entry) -> None:
    _open_entry(page, live_server, unit, entry)
    page.get_by_role("button", name="Đưa vào sơ loại").click()
    expect(page.get_by_text("Đã đưa bài vào sơ loại")).to_be_visible()
    page.get_by_role("button", name="Chọn bài này").click()
    expect(page.get_by_text("Đã chọn bài")).to_be_visible()


def _certify(page, live_server, unit, entry, text) -> None:
    _open_entry(page, live_server, unit, entry)
    page.get_by_label("Xác nhận hiệu quả, tính khả thi").fill(text)
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_text("Thủ trưởng đơn vị đã xác nhận bài dự thi.")).to_be_visible()


def test_commune_to_district_to_secretariat(page, live_server, artifacts_dir):
    world = build_world()
    secretary = UserFactory()
    grant(secretary, world.contest, Role.SECRETARIAT)
    from_commune = submitted_entry(world.commune, title="Trả kết quả thủ tục tại nhà")
    own = [
        submitted_entry(world.district, title=t)
        for t in ("Sổ tay điện tử một cửa", "Lịch tiếp dân trực tuyến")
    ]

    # The commune selects, its head certifies, its staff pass the entry up.
    _login(page, live_server, world.staff(world.commune))
    _screen_and_select(page, live_server, world.commune, from_commune)
    _login(page, live_server, world.head(world.commune))
    _certify(page, live_server, world.commune, from_commune, "Xã xác nhận: khả thi.")
    _login(page, live_server, world.staff(world.commune))
    _open_entry(page, live_server, world.commune, from_commune)
    page.get_by_role("button", name=re.compile("Chuyển lên UBND huyện")).click()
    expect(page.get_by_text("Đã chuyển bài lên UBND cấp huyện.")).to_be_visible()

    # The district screens it again with two of its own; its head certifies all three.
    _login(page, live_server, world.staff(world.district))
    page.goto(f"{live_server.url}/don-vi/{world.district.pk}/")
    expect(page.get_by_text("Chuyển lên từ UBND xã Thử 1")).to_be_visible()
    _assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "screening-district-dashboard.png"), full_page=True)
    for entry in (from_commune, *own):
        _screen_and_select(page, live_server, world.district, entry)
    _assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "screening-entry-selected.png"), full_page=True)
    _login(page, live_server, world.head(world.district))
    for entry in (from_commune, *own):
        _certify(page, live_server, world.district, entry, "Huyện xác nhận: hiệu quả.")

    # District staff forward the batch.
    _login(page, live_server, world.staff(world.district))
    page.goto(f"{live_server.url}/don-vi/{world.district.pk}/gui-bai/")
    page.get_by_label("Hình thức gửi").select_option("ioffice")
    page.get_by_label("Số công văn").fill("215/UBND-NV")
    page.get_by_label("Ngày công văn").fill("2025-07-10")
    for box in page.locator("input[name=entries]").all():
        box.check()
    _assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "screening-forward.png"), full_page=True)
    page.get_by_role("button", name="Gửi về Ban Tổ chức và tạo công văn").click()
    expect(page.get_by_text("Đã gửi 3 bài dự thi về Ban Tổ chức")).to_be_visible()
    expect(page.get_by_text("Đạt chỉ tiêu")).to_be_visible()

    # The secretariat's board: the district complies, a department without entries does not.
    _login(page, live_server, secretary)
    page.goto(f"{live_server.url}/thu-ky/{world.contest.pk}/tuan-thu/")
    district_row = page.locator(f"tr[data-unit='{world.district.pk}']")
    department_row = page.locator(f"tr[data-unit='{world.dept_a.pk}']")
    expect(district_row).to_contain_text("Đạt chỉ tiêu")
    expect(district_row.locator("td").nth(4)).to_have_text("3")
    expect(department_row).to_contain_text("Chưa đủ, chưa có văn bản giải trình")
    _assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "screening-compliance-board.png"), full_page=True)

    page.goto(f"{live_server.url}/thu-ky/{world.contest.pk}/tiep-nhan/")
    expect(page.get_by_text("215/UBND-NV")).to_be_visible()
    _assert_accessible(page)
    page.screenshot(path=str(artifacts_dir / "screening-intake.png"), full_page=True)
