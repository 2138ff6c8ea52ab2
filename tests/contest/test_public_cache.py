"""The cache of the landing and results pages (contest/public_cache.py): served without a
query to visitors, forgotten as soon as what they show changes, never served to a signed-in
user, and with each visitor's own CSRF token in the footer's language form."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from awards.services import award_set_approve, award_set_compute, award_set_publish
from contest.enums import ContestPhase, Role
from contest.models import Category, Unit
from contest.seed import demo_deadlines
from submissions.enums import EntryKind
from tests.factories import ContestFactory, UserFactory, accepted_entry, approved_ranking, grant

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _open_contest(**kwargs):
    deadlines = demo_deadlines()
    return ContestFactory(
        intake_opens_at=deadlines.intake_opens_at,
        forwarding_deadline=deadlines.forwarding_deadline,
        scoring_deadline=deadlines.scoring_deadline,
        results_deadline=deadlines.results_deadline,
        **kwargs,
    )


def test_landing_second_visit_runs_no_query(client, db, django_assert_num_queries):
    contest = _open_contest(short_name="Cuộc thi CCHC 2026")
    first = client.get("/")

    with django_assert_num_queries(0):
        second = client.get("/")

    assert first.status_code == 200
    assert second.status_code == 200
    assert contest.short_name in second.content.decode()
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_landing_cached_is_forgotten_when_contest_is_saved(client, db):
    contest = _open_contest(short_name="Tên cũ của cuộc thi")
    client.get("/")

    contest.short_name = "Tên mới của cuộc thi"
    contest.save()
    html = client.get("/").content.decode()

    assert "Tên mới của cuộc thi" in html
    assert "Tên cũ của cuộc thi" not in html


def test_landing_cached_is_forgotten_when_category_changes(client, db):
    contest = _open_contest()
    client.get("/")
    category = Category.objects.get(contest=contest, code="a")

    category.title = "Lĩnh vực đã đổi tên để kiểm tra bộ nhớ đệm"
    category.save()
    html = client.get("/").content.decode()

    assert "Lĩnh vực đã đổi tên để kiểm tra bộ nhớ đệm" in html


def test_landing_by_slug_is_forgotten_when_unit_is_added(client, db):
    contest = _open_contest()
    url = reverse("contest_home", args=[contest.slug])
    before = client.get(url).content.decode()

    Unit.objects.create(contest=contest, code="so-moi", name="Sở Mới", unit_type="department")
    after = client.get(url).content.decode()

    assert "Sở, ban, ngành 1" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", after))
    assert before != after


def test_landing_cached_gives_each_visitor_a_working_csrf_token(db):
    _open_contest()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(first.get("/").content.decode()).group(1)
    second_token = TOKEN.search(second.get("/").content.decode()).group(1)

    answer = second.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": second_token},
    )

    assert first_token != second_token
    assert "__portal_public_csrf_token__" not in second_token
    assert answer.status_code == 302


def test_landing_for_signed_in_user_is_not_the_cached_page(client, db):
    _open_contest()
    client.get("/")  # a visitor fills the cache
    user = UserFactory()
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    assert response.context is not None
    assert response.context["submit_url"] == reverse("submissions:start")


def test_results_cached_is_forgotten_when_results_are_published(client, db):
    contest = _open_contest(phase=ContestPhase.AWARDING)
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    winner = accepted_entry(contest, title="Giải pháp tra cứu hồ sơ bằng mã QR ở xã")
    approved_ranking(contest, kind=EntryKind.INDIVIDUAL, rows=[(winner, 95)])
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    before = client.get(reverse("awards:results")).content.decode()

    award_set_publish(award_set=award_set, by=organizer)
    after = client.get(reverse("awards:results")).content.decode()

    assert "Giải pháp tra cứu hồ sơ bằng mã QR ở xã" not in before
    assert "Giải pháp tra cứu hồ sơ bằng mã QR ở xã" in after


def test_results_with_query_string_is_not_cached(client, db, django_assert_max_num_queries):
    _open_contest()
    client.get(reverse("awards:results") + "?a=1")

    with django_assert_max_num_queries(50) as queries:
        client.get(reverse("awards:results") + "?a=1")

    assert len(queries) > 0


def _served_early(response) -> bool:
    """PublicPageMiddleware answered before authentication ran (no request.user)."""
    return not hasattr(response.wsgi_request, "user")


def test_visitor_gets_the_stored_page_before_the_rest_of_the_stack_with_the_same_headers(db):
    _open_contest()
    first = Client().get("/")
    second = Client().get("/")

    assert not _served_early(first)
    assert _served_early(second)
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "Vary",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert second.headers.get(header) == first.headers.get(header), header
    assert second.cookies["csrftoken"].value


def test_stored_page_is_per_language(db):
    _open_contest()
    Client().get("/")  # fills the Vietnamese page
    english = Client()
    english.cookies["django_language"] = "en"

    first = english.get("/")
    second = english.get("/")

    assert not _served_early(first)  # no English page stored yet
    assert _served_early(second)
    assert second.headers["Content-Language"] == "en"
    assert second.content == first.content.replace(
        TOKEN.search(first.content.decode()).group(1).encode(),
        TOKEN.search(second.content.decode()).group(1).encode(),
    )


def test_session_or_message_cookie_goes_through_the_view(client, db):
    _open_contest()
    Client().get("/")
    with_session, with_message = Client(), Client()
    with_session.cookies["sessionid"] = "whatever"
    with_message.cookies["messages"] = "x"

    assert not _served_early(with_session.get("/"))
    assert not _served_early(with_message.get("/"))
    assert not _served_early(Client().get("/?utm=1"))
    assert _served_early(Client().get("/"))
