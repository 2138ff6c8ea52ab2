"""The demo, as each of its users meets it: log in through the form, open the role's home
pages, find the work waiting there. No console errors, no serious accessibility problem."""

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from contest.demo import lookup_example, tracking_code
from contest.models import Unit
from contest.seed import DEMO_PASSWORD, seed_demo
from submissions.models import Entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Stop:
    path: str
    heading: str  # the page's h1, exactly
    shows: str  # a text the demo data puts on the page


def _tour(contest) -> dict[str | None, list[Stop]]:
    units = {u.code: u.pk for u in Unit.objects.filter(contest=contest)}
    cao_loc, dong_dang = units["huyen-ubnd-huyen-cao-loc"], units["xa-06184"]
    code = {n: tracking_code(contest, n) for n in range(1, 14)}
    selected = Entry.objects.get(tracking_code=code[8]).pk
    return {
        None: [
            Stop("/", "", "Gửi bài dự thi"),
            Stop("/ket-qua/", "Kết quả cuộc thi", "chưa công bố"),
        ],
        "tacgia@demo.cchc.vn": [
            Stop("/tai-khoan/bai-du-thi/", "Bài dự thi của tôi", code[11]),
            Stop("/bai-du-thi/", "Gửi bài dự thi", "Tiếp tục"),
        ],
        "canbo.dongdang@demo.cchc.vn": [
            Stop(f"/don-vi/{dong_dang}/", "UBND thị trấn Đồng Đăng", code[4]),
        ],
        "canbo.caoloc@demo.cchc.vn": [
            Stop(f"/don-vi/{cao_loc}/", "UBND huyện Cao Lộc", "Chuyển lên từ UBND thị trấn"),
            Stop(f"/don-vi/{cao_loc}/gui-bai/", "Gửi bài về Ban Tổ chức", code[9]),
        ],
        "thutruong.caoloc@demo.cchc.vn": [
            Stop(
                f"/don-vi/{cao_loc}/bai/{selected}/",
                "Bảng tin thủ tục hành chính song ngữ Kinh - Nùng tại nhà văn hóa thôn",
                "Xác nhận hiệu quả, tính khả thi",
            ),
        ],
        "thuky@demo.cchc.vn": [
            Stop("/thu-ky/", "Tiếp nhận bài dự thi các đơn vị gửi về", "245/UBND-NV"),
            Stop(f"/thu-ky/{contest.pk}/tuan-thu/", "Tình hình gửi bài của các đơn vị", "Đạt"),
        ],
        "giamkhao1@demo.cchc.vn": [
            Stop("/cham-thi/demo/giam-khao/", "Bài được phân công chấm", "Đang chấm (nháp)"),
        ],
        "bantochuc@demo.cchc.vn": [
            Stop(f"/ban-to-chuc/{contest.pk}/bao-cao/", "Thống kê, báo cáo", "bài dự thi đã gửi"),
        ],
    }


def _serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _log_in(page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_every_demo_role_finds_its_work(page, live_server, artifacts_dir):
    contest = seed_demo()
    tour = _tour(contest)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))

    problems: dict[str, list] = {}
    for email, stops in tour.items():
        if email is None:
            page.context.clear_cookies()
        else:
            _log_in(page, live_server, email)
        for stop in stops:
            response = page.goto(f"{live_server.url}{stop.path}")
            assert response.status == 200, stop.path
            if stop.heading:
                expect(page.locator("main h1").first).to_have_text(stop.heading)
            expect(page.locator("main").get_by_text(stop.shows).first).to_be_visible()
            name = re.sub(r"[^a-z0-9]+", "-", f"{email or 'khach'} {stop.path}".lower())
            page.screenshot(path=artifacts_dir / f"demo-tour-{name.strip('-')}.png")
            violations = _serious_violations(page)
            if violations:
                problems[stop.path] = violations

    # The code and phone digits load_demo prints find the entry on the public look-up.
    page.context.clear_cookies()
    code, last4 = lookup_example(contest)
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã bài dự thi").fill(code.lower())
    page.get_by_label("4 số cuối điện thoại của người đại diện").fill(last4)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#result-title")).to_have_text(f"Bài dự thi {code}")
    page.screenshot(path=artifacts_dir / "demo-tour-tra-cuu.png")

    assert problems == {}
    assert console_errors == []
