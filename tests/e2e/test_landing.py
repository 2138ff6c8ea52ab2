"""The landing page in a real browser: content, accessibility, nothing loaded from outside,
and how it looks on a desktop and on a 390×844 phone."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from contest import seed_data
from contest.seed import seed_demo

pytestmark = pytest.mark.e2e

AMOUNTS = [
    "5.000.000 đ",
    "2.500.000 đ",
    "1.500.000 đ",
    "1.000.000 đ",
    "7.500.000 đ",
    "3.750.000 đ",
    "2.250.000 đ",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    return seed_demo()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_landing_page_shows_categories_and_prizes_accessibly(
    page, live_server, demo, artifacts_dir, name, viewport
):
    page.set_viewport_size(viewport)

    page.goto(f"{live_server.url}/")

    main = re.sub(r"\s+", " ", page.inner_text("main"))
    page.screenshot(path=artifacts_dir / f"landing-{name}.png", full_page=True)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert [title for _c, title, _d in seed_data.CATEGORIES if title not in main] == []
    assert [amount for amount in AMOUNTS if amount not in main] == []
    assert "33.750.000 đ" in main
    assert _serious(page) == []


def test_landing_page_loads_nothing_from_outside(page, live_server, demo):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")

    origin = urlsplit(live_server.url).netloc
    attributes = page.eval_on_selector_all(
        "[src], [href]", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
    )
    outside = [
        url
        for url in attributes
        if urlsplit(url).scheme not in ("", "http", "https")
        or (urlsplit(url).netloc and urlsplit(url).netloc != origin)
    ]
    assert outside == []
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
    assert len(requested) >= 4  # the page, Bootstrap's CSS and JS, the portal's CSS


def test_skip_link_moves_focus_to_the_main_content(page, live_server, demo):
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")

    assert focused == "Bỏ qua, đến nội dung chính"
    assert page.evaluate("document.activeElement.id") == "main"


def test_phone_menu_opens_with_the_portals_own_script(page, live_server, demo, artifacts_dir):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    login = page.get_by_role("link", name="Đăng nhập")
    hidden_before = not login.is_visible()

    page.get_by_role("button", name="Mở danh mục điều hướng").click()
    login.wait_for(state="visible")

    page.screenshot(path=artifacts_dir / "landing-phone-menu.png")
    assert hidden_before is True
    assert login.is_visible() is True


def test_call_to_action_leads_to_signup(page, live_server, demo):
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="Gửi bài dự thi").first.click()

    assert page.url == f"{live_server.url}/tai-khoan/signup/"
