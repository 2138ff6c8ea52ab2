"""The public landing page presents the contest from its data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest import seed_data
from contest.enums import ContestPhase, UnitType
from contest.models import Unit
from contest.seed import demo_deadlines
from tests.factories import ContestFactory, UserFactory

AMOUNTS = [
    "5.000.000 đ",
    "2.500.000 đ",
    "1.500.000 đ",
    "1.000.000 đ",
    "7.500.000 đ",
    "3.750.000 đ",
    "2.250.000 đ",
]
TEXTS = dict(
    purpose=seed_data.PURPOSE,
    eligibility=seed_data.ELIGIBILITY,
    exclusions=seed_data.EXCLUSIONS,
    entry_form=seed_data.ENTRY_FORM,
    how_to_submit=seed_data.HOW_TO_SUBMIT,
    usage_rights=seed_data.USAGE_RIGHTS,
)


def _text(response) -> str:
    """The page's visible text with tags dropped and white space collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _open_contest(**kwargs):
    deadlines = demo_deadlines()
    return ContestFactory(
        intake_opens_at=deadlines.intake_opens_at,
        forwarding_deadline=deadlines.forwarding_deadline,
        scoring_deadline=deadlines.scoring_deadline,
        results_deadline=deadlines.results_deadline,
        **TEXTS,
        **kwargs,
    )


def _units(contest, count):
    Unit.objects.bulk_create(
        Unit(contest=contest, code=f"so-{i}", name=f"Sở {i}", unit_type=UnitType.DEPARTMENT)
        for i in range(count)
    )


@pytest.fixture
def plan_contest(db):
    return ContestFactory(**TEXTS)


def test_landing_shows_the_eight_categories_in_order(client, plan_contest):
    text = _text(client.get("/"))

    positions = [text.index(f"{code}) {title}") for code, title, _d in seed_data.CATEGORIES]
    assert positions == sorted(positions)
    assert all(description[:60] in text for _c, _t, description in seed_data.CATEGORIES)


def test_landing_shows_every_prize_amount_and_the_total(client, plan_contest):
    text = _text(client.get("/"))

    assert [amount for amount in AMOUNTS if amount not in text] == []
    assert "Tổng kinh phí 33.750.000 đ" in text


def test_landing_shows_the_timeline_as_exact_instants_in_vietnam_time(client, plan_contest):
    text = _text(client.get("/"))

    assert "Trước 00:00 ngày 15/07/2025" in text
    assert "Trước 00:00 ngày 31/08/2025" in text
    assert "Trước 00:00 ngày 30/09/2025" in text
    assert "Từ 00:00 ngày 01/03/2025" in text
    assert "Giờ Việt Nam (Asia/Ho_Chi_Minh, UTC+7)" in text


def test_landing_shows_purpose_who_may_and_may_not_enter_form_and_how(client, plan_contest):
    html = client.get("/").content.decode()

    for value in TEXTS.values():
        for line in value.split("\n"):
            assert line in html
    assert "Không được dự thi" in html


def test_landing_shows_quotas_per_unit_type(client, plan_contest):
    _units(plan_contest, 3)

    text = _text(client.get("/"))

    assert "Sở, ban, ngành 3 Ít nhất 01 bài (bắt buộc" in text


def test_landing_call_to_action_leads_to_signup_while_open(client, db):
    _open_contest()

    response = client.get("/")

    html = response.content.decode()
    assert response.context["accepts_entries"] is True
    assert response.context["submit_url"] == reverse("account_signup")
    assert f'href="{reverse("account_signup")}">Gửi bài dự thi</a>' in html


def test_landing_call_to_action_leads_a_signed_in_user_to_the_wizard(client, db):
    _open_contest()
    client.force_login(UserFactory())

    response = client.get("/")

    assert response.context["submit_url"] == reverse("submissions:start")
    assert f'href="{reverse("submissions:start")}">Gửi bài dự thi</a>' in response.content.decode()


def test_landing_closed_contest_has_no_call_to_action(client, plan_contest):
    response = client.get("/")

    assert response.context["accepts_entries"] is False
    assert "Cuộc thi hiện không nhận bài dự thi." in response.content.decode()


def test_landing_query_count_does_not_grow_with_units(client, db, django_assert_num_queries):
    contest = _open_contest()
    _units(contest, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    Unit.objects.bulk_create(
        Unit(
            contest=contest, code=f"so-them-{i}", name=f"Sở thêm {i}", unit_type=UnitType.DEPARTMENT
        )
        for i in range(195)
    )

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/")

    assert response.status_code == 200
    assert len(small.captured_queries) == 7
    assert "Sở, ban, ngành 200" in _text(response)


def test_landing_for_another_contest_by_slug(client, db):
    current = _open_contest(year=2026, short_name="Năm 2026")
    older = ContestFactory(
        slug="cchc-2025", name="Cuộc thi CCHC năm 2025 cũ", phase=ContestPhase.ARCHIVED
    )

    home = client.get("/")
    other = client.get(reverse("contest_home", args=[older.slug]))

    assert home.context["contest"] == current
    assert other.context["contest"] == older
    assert "Cuộc thi CCHC năm 2025 cũ" in other.content.decode()


@pytest.mark.parametrize("slug", ["nhap", "khong-co"])
def test_landing_by_slug_is_404_for_draft_or_unknown(client, db, slug):
    ContestFactory(slug="nhap", phase=ContestPhase.DRAFT)

    response = client.get(reverse("contest_home", args=[slug]))

    assert response.status_code == 404


def test_landing_without_a_public_contest_says_so(client, db):
    ContestFactory(phase=ContestPhase.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    assert "Chưa có cuộc thi nào đang diễn ra" in response.content.decode()


def test_layout_has_lang_skip_link_and_landmarks(client, plan_contest):
    html = client.get("/").content.decode()

    assert '<html lang="vi">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert html.count("<header") == 1 and html.count("<footer") == 1
    assert 'aria-label="Điều hướng chính"' in html
    assert html.count("<h1") == 1


def test_layout_has_no_inline_script_or_style(client, plan_contest):
    html = client.get("/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\sstyle=|\son[a-z]+=", html) == []


def test_layout_language_switcher_turns_the_page_english(client, plan_contest):
    # The request activates English in this thread; override() restores the language after.
    with translation.override(translation.get_language()):
        vietnamese = client.get("/").content.decode()
        link = re.search(r'<a href="(/ngon-ngu/en/[^"]*)"', vietnamese).group(1)
        switched = client.get(link.replace("&amp;", "&"))
        html = client.get("/").content.decode()

    assert link == "/ngon-ngu/en/?next=/"
    assert switched.status_code == 302 and switched["Location"] == "/"
    assert '<html lang="en">' in html
    assert '<a href="/ngon-ngu/vi/?next=/" lang="vi" hreflang="vi" rel="nofollow">' in html
    assert '<span class="portal-language-current" lang="en" aria-current="true">' in html
    assert "csrfmiddlewaretoken" not in vietnamese


def test_language_link_sets_the_cookie_as_djangos_set_language(client, db, settings):
    response = client.get(reverse("language", args=["en"]), {"next": "/tra-cuu/?code=CCHC-1&x=2"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert response.status_code == 302
    assert response["Location"] == "/tra-cuu/?code=CCHC-1&x=2"
    assert cookie.value == "en"
    assert cookie["max-age"] == (settings.LANGUAGE_COOKIE_AGE or "")
    assert cookie["path"] == settings.LANGUAGE_COOKIE_PATH
    assert cookie["samesite"] == (settings.LANGUAGE_COOKIE_SAMESITE or "")
    assert "no-cache" in response["Cache-Control"]


def test_language_link_goes_home_for_a_next_of_another_site(client, db):
    for unsafe in ("https://lua-dao.example/", "//lua-dao.example/", "javascript:alert(1)", ""):
        response = client.get(reverse("language", args=["vi"]), {"next": unsafe})

        assert response.status_code == 302, unsafe
        assert response["Location"] == "/", unsafe
        assert response.cookies["django_language"].value == "vi", unsafe


def test_language_link_refuses_a_language_the_portal_lacks(client, plan_contest):
    response = client.get(reverse("language", args=["fr"]), {"next": "/"}, follow=True)

    assert "django_language" not in client.cookies
    assert response.redirect_chain == [("/", 302)]
    assert "Cổng chưa có ngôn ngữ này" in response.content.decode()
    assert '<html lang="vi">' in response.content.decode()


def test_language_link_answers_get_only(client, db):
    response = client.post(reverse("language", args=["en"]), {"next": "/"})

    assert response.status_code == 405
    assert "django_language" not in response.cookies


def test_nav_shows_admin_link_to_staff_only(client, plan_contest):
    anonymous = client.get("/").content.decode()
    client.force_login(UserFactory(is_staff=True, full_name="Quản Trị Viên"))
    staff = client.get("/").content.decode()

    assert reverse("admin:index") not in anonymous
    assert reverse("account_login") in anonymous
    assert reverse("admin:index") in staff
    assert "Quản Trị Viên" in staff
