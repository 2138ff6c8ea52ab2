"""The organizer computes the prizes, settles a boundary tie, approves, generates the
certificates, downloads the merged PDF and publishes; a visitor reads the results and
verifies a certificate. Every page passes axe-core without serious violations."""

import subprocess
import unicodedata

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from awards.models import Certificate
from contest.enums import ContestPhase, Role
from submissions.enums import EntryKind
from tests.factories import (
    ContestFactory,
    UserFactory,
    accepted_entry,
    approved_ranking,
    grant,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CONTEST_NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"


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
    page.screenshot(path=str(artifacts_dir / f"awards-{name}.png"), full_page=True)
    assert serious == []


def _contest_with_rankings():
    contest = ContestFactory(name=CONTEST_NAME, phase=ContestPhase.AWARDING)
    organizer = UserFactory(full_name="Trần Văn Tổ Chức")
    grant(organizer, contest, Role.ORGANIZER)
    names = [
        "Nguyễn Thị Hường",
        "Lưu Văn Đức",
        "Hoàng Thị Ngọc Ánh",
        "Vy Văn Thưởng",
        "Đàm Thị Yến",
        "Lục Văn Quyết",
        "Triệu Thị Mỹ",
    ]
    individuals = [accepted_entry(contest, author_names=[n], title=f"Giải pháp {n}") for n in names]
    # Second and third tie at 88: the boundary between the second and the third prize.
    scores = [95, 88, 88, 80, 75, 70, 65]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=list(zip(individuals, scores, strict=True))
    )
    group = accepted_entry(
        contest,
        kind=EntryKind.GROUP,
        title="Chính quyền số cấp xã",
        author_names=["Phùng Quốc Việt", "Nông Thị Lệ"],
    )
    approved_ranking(contest, kind=EntryKind.GROUP, rows=[(group, 91)])
    return contest, organizer, individuals


def test_organizer_awards_and_visitor_verifies(page, live_server, artifacts_dir, tmp_path, browser):
    contest, organizer, individuals = _contest_with_rankings()
    _login(page, live_server, organizer)
    dashboard = f"{live_server.url}/ban-to-chuc/{contest.pk}/giai-thuong/"

    # Before publication the public page reveals nothing.
    page.goto(f"{live_server.url}/ket-qua/")
    expect(page.get_by_text("Kết quả cuộc thi chưa công bố")).to_be_visible()

    page.goto(dashboard)
    page.get_by_role("button", name="Tính giải").click()
    expect(page.get_by_text("Bằng điểm ở ranh giới giải")).to_be_visible()
    _check(page, artifacts_dir, "1-proposal-with-tie")

    page.get_by_label("Xếp thứ 1 trong nhóm").select_option(str(individuals[2].pk))
    page.get_by_label("Xếp thứ 2 trong nhóm").select_option(str(individuals[1].pk))
    page.get_by_label("Lý do, căn cứ quyết định của Ban Tổ chức").fill(
        "Biên bản họp Ban Tổ chức ngày 20/9/2025: bài của bà Ánh khả thi hơn"
    )
    page.get_by_role("button", name="Ghi quyết định phân định").click()
    expect(page.get_by_text("Đã ghi quyết định phân định của Ban Tổ chức.")).to_be_visible()
    expect(page.locator("#awards-total")).to_have_text("21.000.000 đ")

    page.get_by_role("button", name="Phê duyệt kết quả xét giải").click()
    expect(page.get_by_text("Đã phê duyệt kết quả xét giải.")).to_be_visible()
    page.get_by_role("button", name="Tạo bằng khen, giấy chứng nhận").click()
    expect(page.locator("#certificate-progress-text")).to_contain_text("Đã tạo xong: 8/8")
    _check(page, artifacts_dir, "2-certificates")

    with page.expect_download() as download_info:
        page.locator("#download-merit").click()
    merged = tmp_path / "bang-khen.pdf"
    download_info.value.save_as(merged)
    text = unicodedata.normalize(
        "NFC",
        " ".join(
            subprocess.run(
                ["pdftotext", str(merged), "-"], capture_output=True, check=True, text=True
            ).stdout.split()
        ),
    )
    for name in [
        "Nguyễn Thị Hường",
        "Hoàng Thị Ngọc Ánh",
        "Lưu Văn Đức",
        "Vy Văn Thưởng",
        "Phùng Quốc Việt",
        "Nông Thị Lệ",
    ]:
        assert name in text
    assert f"Đã có ý tưởng, giải pháp đạt giải Nhì Cuộc thi “{CONTEST_NAME}”" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(merged),
            str(artifacts_dir / "awards-3-merged-first-page"),
        ],
        check=True,
    )

    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_text("Đã công bố kết quả.")).to_be_visible()

    # A visitor, not signed in.
    visitor = browser.new_page(locale="vi-VN")
    visitor.goto(f"{live_server.url}/ket-qua/")
    expect(visitor.get_by_role("heading", name="Giải nhất")).to_be_visible()
    expect(visitor.get_by_role("cell", name="Nguyễn Thị Hường", exact=True)).to_be_visible()
    expect(visitor.get_by_role("cell", name="Phùng Quốc Việt, Nông Thị Lệ")).to_be_visible()
    _check(visitor, artifacts_dir, "4-public-results")

    certificate = Certificate.objects.get(award__entry=individuals[2])
    visitor.goto(f"{live_server.url}/xac-minh/{certificate.number}/")
    expect(
        visitor.get_by_text("Văn bản này do cổng thông tin cuộc thi cấp và hợp lệ.")
    ).to_be_visible()
    expect(visitor.get_by_text("Hoàng Thị Ngọc Ánh", exact=True)).to_be_visible()
    expect(visitor.get_by_text("Giải nhì (cá nhân)")).to_be_visible()
    _check(visitor, artifacts_dir, "5-verification")
    visitor.close()
