"""The cache of the public pages everyone hits (the landing page and the results).

A visitor who is not signed in, asks with GET and no query string, and has no message
waiting gets the page rendered once for the contest and the language, stored in Django's
cache (Redis in production, so every web process shares it). Nothing in a stored page
belongs to one visitor: the footer's language switcher is a pair of plain links (no form,
so no CSRF token and no csrftoken cookie), and a page that asks for a CSRF token or a CSP
nonce anyway is served fresh every time and never stored.

What is stored is the encoded body with the headers the full middleware stack gave it
(Content-Type, Content-Length, Content-Language, Vary, X-Frame-Options,
Content-Security-Policy); PublicPageMiddleware stores it on the way out of the first full
response that carries no cookie, so a later hit answers the same bytes and headers with one
cache read. The middlewares above it (SecurityMiddleware's nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and HSTS) run on hits as on any response.

Keys are per contest slug (and `current` for the page that shows the current contest). Saving
or deleting anything a public page shows (the contest, its categories, prize tiers,
criteria, quotas, units, the award set and its awards) deletes the keys of that contest
and of `current` at once; the timeout is only a backstop for writes that bypass save().

Each web process also keeps the pages it read for LOCAL_SECONDS (1 s) in its own memory, so
most hits need no cache read at all (the Redis read was two thirds of the cost of a hit).
The bound on staleness this adds: a change made in the process itself (saving through the
admin or a view of this worker) is seen at once, since the invalidation also empties this
process's copy; a change made in another process (another web worker, a Celery task, a
management command) deletes the Redis keys at once and reaches the other workers' copies
within LOCAL_SECONDS.

PublicPageMiddleware serves a stored page near the top of the middleware stack, before
sessions, authentication and URL resolution, to a visitor who carries no session or message
cookie. Anything else (a miss, a signed-in user, a query string) goes through the view as
usual. No Cache-Control is added: the page depends on the session cookie (Vary: Cookie), and
a browser or proxy that kept it would show the results late after they are published."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import get_language, get_language_from_request

PUBLIC_PAGES = ("landing", "results")
CSRF_PLACEHOLDER = "__portal_public_csrf_token__"
CURRENT = "current"
# Set by public_page() on a fresh page that may be stored; PublicPageMiddleware stores it.
STORE_KEY_ATTRIBUTE = "portal_public_page_key"

# A stored page: the encoded body and the response headers, as (name, value) pairs.
StoredPage = tuple[bytes, tuple[tuple[str, str], ...]]

# This process's copies of the pages read from the cache: key -> (monotonic expiry, page).
# A few keys at most (pages x contests x languages); expired ones are dropped as it grows.
LOCAL_SECONDS = 1.0
_LOCAL_MAX = 64
_local: dict[str, tuple[float, StoredPage]] = {}


def public_page_key(*, page: str, scope: int | str, language: str | None = None) -> str:
    # v2: the body as bytes with its headers (v1 held the text with a CSRF placeholder).
    return f"portal:public:v2:{page}:{scope}:{language or get_language()}"


def _cacheable(request) -> bool:
    if settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return False
    if request.method != "GET" or request.GET or request.user.is_authenticated:
        return False
    # A waiting message ("you have signed out") belongs to this visitor only; len() reads
    # the storage without marking the messages as shown.
    return len(get_messages(request)) == 0


def _read(key: str) -> StoredPage | None:
    """The stored page: this process's copy while it is fresh, else the shared cache's."""
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and local[0] > now:
        return local[1]
    stored = cache.get(key)
    if stored is None:
        _local.pop(key, None)
    else:
        _keep(key, stored, now)
    return stored


def _keep(key: str, stored: StoredPage, now: float) -> None:
    if len(_local) >= _LOCAL_MAX:
        for old in [k for k, (expiry, _page) in _local.items() if expiry <= now]:
            _local.pop(old, None)
    _local[key] = (now + LOCAL_SECONDS, stored)


def public_pages_local_clear() -> None:
    """Forget this process's copies (tests that empty the shared cache call it too)."""
    _local.clear()


def _from_stored(stored: StoredPage) -> HttpResponse:
    body, headers = stored
    return HttpResponse(body, headers=headers)


def public_page(
    request, *, page: str, scope: int | str, render_page: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page from the cache, or rendered by `render_page(extra_context)` and marked for
    PublicPageMiddleware to store. Responses other than a plain 200 are never stored."""
    if not _cacheable(request):
        return render_page({})
    key = public_page_key(page=page, scope=scope)
    stored = _read(key)
    if stored is not None:
        return _from_stored(stored)
    response = render_page({"csrf_token": CSRF_PLACEHOLDER})
    if response.status_code != 200 or response.streaming:
        return response
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in response.content:
        # A form on the page wants this visitor's own token: served fresh, never stored.
        response.content = response.content.replace(placeholder, get_token(request).encode())
        return response
    setattr(response, STORE_KEY_ATTRIBUTE, key)
    return response


def _store(request, response) -> None:
    """Keep a page public_page() marked, with the headers the stack below gave it, unless
    the response is for this visitor only (a cookie, a CSP nonce)."""
    key = getattr(response, STORE_KEY_ATTRIBUTE, None)
    if key is None or response.status_code != 200 or response.streaming:
        return
    if response.cookies or get_nonce(request):
        return
    stored: StoredPage = (response.content, tuple(response.headers.items()))
    cache.set(key, stored, settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS)
    _keep(key, stored, time.monotonic())


class PublicPageMiddleware:
    """The stored landing or results page of the current contest for a visitor without a
    session, answered before the rest of the stack runs; and the store of a freshly rendered
    public page on its way out. Place it right after SecurityMiddleware and WhiteNoise
    (config/settings/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._pages: dict[str, str] | None = None

    def __call__(self, request):
        response = self._stored(request)
        if response is None:
            response = self.get_response(request)
            _store(request, response)
        return response

    def _page_of(self, path: str) -> str | None:
        if self._pages is None:
            self._pages = {reverse("home"): "landing", reverse("awards:results"): "results"}
        return self._pages.get(path)

    def _stored(self, request) -> HttpResponse | None:
        page = self._page_of(request.path_info)
        if page is None or request.method != "GET" or request.META.get("QUERY_STRING"):
            return None
        if settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS <= 0:
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None  # the full stack refuses the host (DisallowedHost)
        language = get_language_from_request(request)
        stored = _read(public_page_key(page=page, scope=CURRENT, language=language))
        if stored is None:
            return None
        return _from_stored(stored)


def public_pages_invalidate(*, contest_slug: str | None) -> None:
    """Forget every cached public page of the contest and of the current contest, in the
    shared cache and in this process's copies."""
    scopes: list[int | str] = [CURRENT]
    if contest_slug:
        scopes.append(contest_slug)
    keys = [
        public_page_key(page=page, scope=scope, language=code)
        for page in PUBLIC_PAGES
        for scope in scopes
        for code, _name in settings.LANGUAGES
    ]
    for key in keys:
        _local.pop(key, None)
    cache.delete_many(keys)


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
