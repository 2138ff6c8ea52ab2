"""An entrant on a phone submits a group entry through the wizard with a real document and
gets a tracking code; every wizard page passes axe-core without serious violations."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from submissions.enums import EntryStatus
from submissions.models import Entry
from tests.factories import UnitFactory, UserFactory, district_with_communes
from tests.submissions.intake_support import docx_bytes, open_contest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _login(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _check(page, artifacts_dir, name: str) -> None:
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.screenshot(path=str(artifacts_dir / f"intake-{name}.png"), full_page=True)
    assert serious == []


def _next(page) -> None:
    page.get_by_role("button", name="Lưu và tiếp tục").click()


def test_group_entry_submitted_on_phone(page, live_server, artifacts_dir, tmp_path):
    contest = open_contest()
    unit = UnitFactory(contest=contest, name="Sở Tư pháp")
    district_with_communes(contest, name="UBND huyện Tràng Định", communes=3)
    user = UserFactory(
        full_name="Nguyễn Thị Hoa",
        phone="0912345678",
        position="Chuyên viên",
        workplace="Sở Tư pháp",
        address="Phường Chi Lăng, TP Lạng Sơn",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    document = tmp_path / "Bài dự thi.docx"
    document.write_bytes(docx_bytes("Ứng dụng một cửa số cấp xã"))
    page.set_viewport_size(PHONE)
    _login(page, live_server, user)

    page.goto(f"{live_server.url}/bai-du-thi/")
    _check(page, artifacts_dir, "0-start")
    page.get_by_role("button", name="Bắt đầu bài dự thi mới").click()

    # Authors: a group of two, the first one represents it.
    expect(page.get_by_role("heading", name="Tác giả")).to_be_visible()
    page.get_by_label("Nhóm tác giả").check()
    page.get_by_role("button", name="Thêm một tác giả").click()
    page.fill("[name=tac_gia-1-full_name]", "Lý Văn Nam")
    page.fill("[name=tac_gia-1-job_title]", "Cán bộ địa chính")
    page.fill("[name=tac_gia-1-workplace]", "UBND xã Chi Lăng")
    page.check("[name=tac_gia-0-is_representative]")
    _check(page, artifacts_dir, "1-authors")
    _next(page)

    expect(page.get_by_role("heading", name="Lĩnh vực")).to_be_visible()
    page.get_by_label("c) Cải cách thủ tục hành chính").check()
    _check(page, artifacts_dir, "2-category")
    _next(page)

    expect(page.get_by_role("heading", name="Nội dung ý tưởng")).to_be_visible()
    page.get_by_label("Tên ý tưởng, giải pháp").fill("Một cửa số cấp xã cho người dân vùng cao")
    page.get_by_label("Tóm tắt (một đoạn ngắn)").fill("Tiếp nhận hồ sơ qua điện thoại.")
    page.get_by_label("Thực trạng, vấn đề đặt ra").fill("Người dân đi lại xa.")
    page.get_by_label("Nội dung ý tưởng, giải pháp").fill("Ứng dụng tiếp nhận trực tuyến.")
    page.get_by_label("Hiệu quả dự kiến").fill("Giảm một nửa thời gian đi lại.")
    _check(page, artifacts_dir, "3-idea")
    _next(page)

    expect(page.get_by_role("heading", name="Hình thức và tệp")).to_be_visible()
    page.set_input_files("[name=main_document]", str(document))
    _check(page, artifacts_dir, "4-files")
    _next(page)

    expect(page.get_by_role("heading", name="Đơn vị tiếp nhận")).to_be_visible()
    page.get_by_label("Tìm đơn vị (gõ một phần tên)").fill("tu phap")
    page.get_by_label("Sở Tư pháp").check()
    _check(page, artifacts_dir, "5-unit")
    _next(page)

    expect(page.get_by_role("heading", name="Cam kết")).to_be_visible()
    page.check("[name=declaration_accepted]")
    page.check("[name=consent_accepted]")
    _check(page, artifacts_dir, "6-declaration")
    _next(page)

    expect(page.get_by_role("heading", name="Xem lại và gửi")).to_be_visible()
    expect(page.get_by_text("Bài dự thi.docx")).to_be_visible()
    _check(page, artifacts_dir, "7-review")
    page.get_by_role("button", name="Gửi bài dự thi").click()

    expect(page.get_by_role("heading", name="Biên nhận bài dự thi")).to_be_visible()
    code = page.locator("#tracking-code").inner_text().strip()
    _check(page, artifacts_dir, "8-receipt")
    entry = Entry.objects.get(owner=user)
    assert re.fullmatch(r"CC\d\d-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    assert (
        entry.tracking_code,
        entry.status,
        entry.kind,
        entry.authors.count(),
        entry.unit_id,
    ) == (code, EntryStatus.SUBMITTED, "group", 2, unit.pk)
