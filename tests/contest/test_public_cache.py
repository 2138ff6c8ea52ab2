"""The cache of the landing and results pages (contest/public_cache.py): served without a
query to visitors, forgotten as soon as what they show changes, never served to a signed-in
user, the same bytes and headers for every visitor (no CSRF token, no cookie), and never
stored when a page asks for something of one visitor's own (a CSRF token, a CSP nonce)."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.test import Client
from django.urls import path, reverse

import config.urls
from awards.services import award_set_approve, award_set_compute, award_set_publish
from contest import public_cache
from contest.enums import ContestPhase, Role
from contest.models import Category, Unit
from contest.public_cache import public_page, public_page_key, public_pages_local_clear
from contest.seed import demo_deadlines
from submissions.enums import EntryKind
from tests.factories import ContestFactory, UserFactory, accepted_entry, approved_ranking, grant

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    public_pages_local_clear()
    yield
    cache.clear()
    public_pages_local_clear()


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
    assert second.content == first.content


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


def test_stored_pages_carry_no_csrf_token_and_set_no_cookie(db):
    _open_contest(phase=ContestPhase.AWARDING)
    for url in ("/", reverse("awards:results")):
        first, second = Client().get(url), Client().get(url)

        assert second.content == first.content, url
        assert not TOKEN.search(first.content.decode()), url
        assert "__portal_public_csrf_token__" not in first.content.decode(), url
        assert not first.cookies and not second.cookies, url
        assert "Set-Cookie" not in second.headers, url


def test_csrf_still_guards_the_forms_of_other_pages(db):
    _open_contest()
    visitor = Client(enforce_csrf_checks=True)
    Client().get("/")  # the landing page stored, without a token
    token = TOKEN.search(visitor.get(reverse("lookup")).content.decode()).group(1)

    refused = visitor.post(reverse("lookup"), {"code": "CCHC-0000", "phone_last4": "1234"})
    accepted = visitor.post(
        reverse("lookup"),
        {"code": "CCHC-0000", "phone_last4": "1234", "csrfmiddlewaretoken": token},
    )

    assert visitor.cookies["csrftoken"].value
    assert refused.status_code == 403
    assert accepted.status_code == 200


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
    assert second.content == first.content
    assert dict(second.headers) == dict(first.headers)
    assert {
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "Content-Length",
        "Vary",
        "X-Content-Type-Options",
        "Referrer-Policy",
    } <= set(second.headers)
    assert second["Content-Length"] == str(len(second.content))


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
    assert '<html lang="en">' in second.content.decode()
    assert second.content == first.content


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


def test_other_processes_change_reaches_this_process_within_the_local_seconds(db, monkeypatch):
    contest = _open_contest(short_name="Tên trước khi tiến trình khác sửa")
    clock = [1000.0]
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: clock[0])
    Client().get("/")  # stored, and kept in this process
    # Another process renames the contest: its save deletes the shared keys, not this copy.
    type(contest).objects.filter(pk=contest.pk).update(short_name="Tên sau khi tiến trình khác sửa")
    cache.delete(public_page_key(page="landing", scope="current", language="vi"))

    clock[0] += public_cache.LOCAL_SECONDS / 2
    within = Client().get("/")
    clock[0] += public_cache.LOCAL_SECONDS
    after = Client().get("/")

    assert _served_early(within)
    assert "Tên trước khi tiến trình khác sửa" in within.content.decode()
    assert "Tên sau khi tiến trình khác sửa" in after.content.decode()


def test_change_in_this_process_empties_its_copy_at_once(db, monkeypatch):
    contest = _open_contest(short_name="Tên trước khi sửa trong tiến trình này")
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: 1000.0)  # the copy never ages
    Client().get("/")
    assert _served_early(Client().get("/"))

    contest.short_name = "Tên sau khi sửa trong tiến trình này"
    contest.save()
    response = Client().get("/")

    assert not _served_early(response)
    assert "Tên sau khi sửa trong tiến trình này" in response.content.decode()


# Pages that ask for something of one visitor's own, behind the public page cache (the test
# URLs below are added to the portal's for the tests marked with them).
NONCE_KEY = public_page_key(page="landing", scope="nonce-test", language="vi")
TOKEN_KEY = public_page_key(page="landing", scope="token-test", language="vi")
rendered: list[str] = []


def _nonce_page(request):
    def render_page(extra):
        rendered.append("nonce")
        return HttpResponse(f'<script nonce="{get_nonce(request)}" src="/x.js"></script>')

    return public_page(request, page="landing", scope="nonce-test", render_page=render_page)


def _token_page(request):
    def render_page(extra):
        rendered.append("token")
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{extra["csrf_token"]}">')

    return public_page(request, page="landing", scope="token-test", render_page=render_page)


urlpatterns = [
    path("thu-nonce/", _nonce_page),
    path("thu-token/", _token_page),
    *config.urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_page_with_a_csp_nonce_is_never_stored(db):
    rendered.clear()
    first, second = Client().get("/thu-nonce/"), Client().get("/thu-nonce/")

    nonces = [re.search(r'nonce="([^"]+)"', r.content.decode()).group(1) for r in (first, second)]
    assert rendered == ["nonce", "nonce"]
    assert cache.get(NONCE_KEY) is None
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
def test_page_with_a_csrf_token_gets_the_visitors_own_and_is_never_stored(db):
    rendered.clear()
    first, second = Client().get("/thu-token/"), Client().get("/thu-token/")

    assert rendered == ["token", "token"]
    assert cache.get(TOKEN_KEY) is None
    for response in (first, second):
        token = TOKEN.search(response.content.decode()).group(1)
        assert token != "__portal_public_csrf_token__"
        assert response.cookies["csrftoken"].value


def test_stored_page_is_not_served_to_a_host_the_portal_does_not_serve(db):
    contest = _open_contest(short_name="Cuộc thi chỉ cho tên miền của cổng")
    Client().get("/")  # stored

    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})

    # The full stack refuses the host (DisallowedHost), as for any other page.
    assert response.status_code != 200
    assert contest.short_name not in response.content.decode()
