"""The cache of the public pages everyone hits (the landing page and the results).

A visitor who is not signed in, asks with GET and no query string, and has no message
waiting gets the page rendered once for the contest and the language, stored in Django's
cache (Redis in production, so every web process shares it). The page is stored with a
placeholder instead of the CSRF token of the footer's language form; each response gets
the visitor's own token, so forms on a cached page work as on a fresh one.

Keys are per contest slug (and `current` for the page that shows the current contest). Saving
or deleting anything a public page shows (the contest, its categories, prize tiers,
criteria, quotas, units, the award set and its awards) deletes the keys of that contest
and of `current` at once; the timeout is only a backstop for writes that bypass save().

PublicPageMiddleware serves a stored page near the top of the middleware stack, before
sessions, authentication and URL resolution, to a visitor who carries no session or message
cookie; it gives the response the same CSRF cookie and security headers the full stack would.
Anything else (a miss, a signed-in user, a query string) goes through the view as usual."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_request

PUBLIC_PAGES = ("landing", "results")
CSRF_PLACEHOLDER = "__portal_public_csrf_token__"
CURRENT = "current"


def public_page_key(*, page: str, scope: int | str, language: str | None = None) -> str:
    return f"portal:public:{page}:{scope}:{language or get_language()}"


def _cacheable(request) -> bool:
    if settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return False
    if request.method != "GET" or request.GET or request.user.is_authenticated:
        return False
    # A waiting message ("you have signed out") belongs to this visitor only; len() reads
    # the storage without marking the messages as shown.
    return len(get_messages(request)) == 0


def public_page(
    request, *, page: str, scope: int | str, render_page: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page from the cache, or rendered by `render_page(extra_context)` and stored.
    Responses other than a plain 200 are never stored."""
    if not _cacheable(request):
        return render_page({})
    key = public_page_key(page=page, scope=scope)
    html = cache.get(key)
    if html is None:
        response = render_page({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200 or response.streaming:
            return response
        html = response.content.decode(response.charset)
        cache.set(key, html, settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _no_response(request):
    return None


class PublicPageMiddleware:
    """The stored landing or results page of the current contest for a visitor without a
    session, answered before the rest of the stack runs. Place it right after
    SecurityMiddleware and WhiteNoise (config/settings/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._csrf = CsrfViewMiddleware(_no_response)
        self._headers = (
            XFrameOptionsMiddleware(_no_response),
            ContentSecurityPolicyMiddleware(_no_response),
        )
        self._pages: dict[str, str] | None = None

    def __call__(self, request):
        return self._stored(request) or self.get_response(request)

    def _page_of(self, path: str) -> str | None:
        if self._pages is None:
            self._pages = {reverse("home"): "landing", reverse("awards:results"): "results"}
        return self._pages.get(path)

    def _stored(self, request) -> HttpResponse | None:
        if settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
            return None
        if request.GET or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if CookieStorage.cookie_name in request.COOKIES:
            return None
        page = self._page_of(request.path_info)
        if page is None:
            return None
        language = get_language_from_request(request)
        html = cache.get(public_page_key(page=page, scope=CURRENT, language=language))
        if html is None:
            return None
        self._csrf.process_request(request)
        response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        self._csrf.process_response(request, response)
        for middleware in self._headers:
            middleware.process_response(request, response)
        return response


def public_pages_invalidate(*, contest_slug: str | None) -> None:
    """Forget every cached public page of the contest and of the current contest."""
    scopes: list[int | str] = [CURRENT]
    if contest_slug:
        scopes.append(contest_slug)
    cache.delete_many(
        [
            public_page_key(page=page, scope=scope, language=code)
            for page in PUBLIC_PAGES
            for scope in scopes
            for code, _name in settings.LANGUAGES
        ]
    )


def _contest_slug_of(instance) -> str | None:
    from awards.models import Award

    from .models import Contest

    if isinstance(instance, Contest):
        return instance.slug
    if isinstance(instance, Award):
        lookup = {"award_set__pk": instance.award_set_id}
    else:
        lookup = {"pk": getattr(instance, "contest_id", None)}
    return Contest.objects.filter(**lookup).values_list("slug", flat=True).first()


def _on_change(sender, instance, **kwargs) -> None:
    slug = _contest_slug_of(instance)
    public_pages_invalidate(contest_slug=slug)
    # Once more after commit: a request that read the old rows before the commit may have
    # stored the old page in between.
    transaction.on_commit(lambda: public_pages_invalidate(contest_slug=slug))


def connect_invalidation() -> None:
    """Called once from ContestConfig.ready()."""
    from awards.models import Award, AwardSet

    from .models import Category, Contest, Criterion, PrizeTier, QuotaRule, Unit

    for model in (Contest, Category, PrizeTier, Criterion, QuotaRule, Unit, AwardSet, Award):
        for signal in (post_save, post_delete):
            signal.connect(_on_change, sender=model, dispatch_uid=f"public_cache_{model.__name__}")
