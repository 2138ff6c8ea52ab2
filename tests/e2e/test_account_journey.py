"""An entrant on a phone: registers, verifies the address from the mail, logs in, fills
the profile, sees an entry in "Bài dự thi của tôi" and looks it up publicly."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import AuthorFactory, ContestFactory, EntryFactory, UnitFactory, submit_entry

pytestmark = pytest.mark.e2e

EMAIL = "nguoidung.moi@example.vn"
PASSWORD = "Lang-Son-2025-cchc"
CODE = "CC25-7K3M-9QXH"
PASSWORD_LABEL = re.compile(r"^\s*Mật khẩu\s*\*?\s*$")


@pytest.fixture
def browser_context_args(browser_context_args):
    # A phone in Vietnam: the portal answers in Vietnamese from Accept-Language.
    return {**browser_context_args, "locale": "vi-VN"}


def _check(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"account-journey-{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], v["help"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], name


def test_account_journey_on_phone(page, live_server, artifacts_dir, transactional_db):
    cache.clear()
    mail.outbox.clear()
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url

    # Register.
    page.goto(f"{base}/tai-khoan/signup/")
    _check(page, artifacts_dir, "1-signup")
    page.get_by_label("Thư điện tử").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận địa chỉ thư điện tử")
    _check(page, artifacts_dir, "2-verification-sent")

    # Verify from the mail.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/tai-khoan/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    _check(page, artifacts_dir, "3-confirm")
    page.get_by_role("button", name="Xác nhận").click()

    # Log in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    _check(page, artifacts_dir, "4-login")
    page.get_by_label("Thư điện tử").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("status")).to_contain_text("Đăng nhập thành công")

    # Profile, with a phone typed the international way.
    page.goto(f"{base}/tai-khoan/ho-so/")
    _check(page, artifacts_dir, "5-profile")
    page.get_by_label("Họ và tên").fill("Hoàng Thị Mai")
    page.get_by_label("Số điện thoại").fill("+84 912 345 678")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Đơn vị công tác").fill("UBND huyện Cao Lộc")
    page.get_by_label("Địa chỉ").fill("Thị trấn Cao Lộc, huyện Cao Lộc")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu hồ sơ.")
    expect(page.get_by_label("Số điện thoại")).to_have_value("0912345678")
    _check(page, artifacts_dir, "6-profile-saved")

    # An entry of this user, submitted through the workflow.
    user = User.objects.get(email=EMAIL)
    now = timezone.now()
    contest = ContestFactory(
        intake_opens_at=now - dt.timedelta(days=10),
        forwarding_deadline=now + dt.timedelta(days=30),
        scoring_deadline=now + dt.timedelta(days=60),
        results_deadline=now + dt.timedelta(days=90),
    )
    unit = UnitFactory(contest=contest, name="UBND huyện Cao Lộc")
    entry = EntryFactory(contest=contest, unit=unit, owner=user, title="Số hóa sổ hộ tịch cấp xã")
    AuthorFactory(
        entry=entry, user=user, full_name=user.full_name, phone=user.phone, email=user.email
    )
    submit_entry(entry, code=CODE)

    # "Bài dự thi của tôi" from the menu.
    page.get_by_role("button", name="Mở danh mục điều hướng").click()
    page.get_by_role("link", name="Bài dự thi của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài dự thi của tôi")
    expect(page.get_by_text(CODE)).to_be_visible()
    expect(page.get_by_text("Đã gửi bài đến UBND huyện Cao Lộc")).to_be_visible()
    _check(page, artifacts_dir, "7-my-entries")

    # The public look-up, with the code typed loosely.
    page.goto(f"{base}/tra-cuu/")
    _check(page, artifacts_dir, "8-lookup")
    page.get_by_label("Mã bài dự thi").fill("cc25 7k3m 9qxh")
    page.get_by_label("4 số cuối điện thoại của người đại diện").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", name=f"Bài dự thi {CODE}")).to_be_visible()
    expect(page.get_by_text("Đã gửi, chờ sơ loại")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Hoàng Thị Mai")
    _check(page, artifacts_dir, "9-lookup-result")
