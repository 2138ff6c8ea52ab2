import redis
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from .outbox import outbox_pending_count
from .public_cache import CURRENT, public_page
from .selectors import (
    contest_accepts_entries,
    contest_for_landing,
    contest_timeline,
    prize_table,
    unit_type_summary,
)
from .tasks import HEARTBEAT_CACHE_KEY


def _submit_url(user) -> str:
    """Where the call to action leads: the intake wizard for a signed-in user, the sign-up
    page for a visitor (who reaches the wizard after verifying the e-mail address)."""
    if user.is_authenticated:
        return reverse("submissions:start")
    return reverse("account_signup")


@require_safe
def home(request, slug: str | None = None):
    # Everyone hits it: rendered once per contest and language (contest/public_cache.py).
    return public_page(
        request,
        page="landing",
        scope=slug or CURRENT,
        render_page=lambda extra: _render_home(request, slug, extra),
    )


def _render_home(request, slug: str | None, extra: dict):
    contest = contest_for_landing(slug)
    if contest is None:
        if slug:
            raise Http404
        return render(request, "contest/no_contest.html", extra)
    prizes = prize_table(contest=contest)
    return render(
        request,
        "contest/home.html",
        {
            **extra,
            "contest": contest,
            "categories": contest.categories.all(),
            "prizes": prizes,
            "written_criteria": [c for c in contest.criteria.all() if c.round == "written"],
            "timeline": contest_timeline(contest=contest),
            "unit_types": unit_type_summary(contest=contest),
            "accepts_entries": contest_accepts_entries(contest=contest),
            "submit_url": _submit_url(request.user),
        },
    )


@never_cache
@require_GET
def language(request, code: str):
    """The footer's language links (/ngon-ngu/en/?next=/ket-qua/): the language cookie set as
    Django's set_language sets it, then back to `next` when it is a page of this site (the
    home page otherwise). Plain links keep the cached public pages free of CSRF tokens."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        url=next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in dict(settings.LANGUAGES):
        messages.error(
            request, _("Cổng chưa có ngôn ngữ này; các trang vẫn hiển thị bằng ngôn ngữ đang dùng.")
        )
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
@require_GET
def healthz(request):
    """Readiness for load balancers and the container health check: the database, and Redis
    where configured (with the last Celery heartbeat). 503 when one is down."""
    checks: dict[str, str] = {}
    body: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            ).ping()
            checks["redis"] = "ok"
            body["worker_heartbeat"] = cache.get(HEARTBEAT_CACHE_KEY)
        except Exception as exc:  # refused, timed out, bad password: all "not ready"
            checks["redis"] = f"error: {exc.__class__.__name__}"
    if checks["database"] == "ok":
        # Jobs waiting for the broker (contest/outbox.py): informative, never "not ready".
        try:
            body["outbox_pending"] = outbox_pending_count()
        except Exception:  # e.g. a database not migrated yet
            body["outbox_pending"] = None
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks, **body},
        status=200 if healthy else 503,
    )
