from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import contest_for_landing, prize_table
from .services import deadline_is_open


@require_GET
def home(request, slug: str | None = None):
    contest = contest_for_landing(slug)
    if contest is None:
        if slug:
            raise Http404
        return render(request, "contest/no_contest.html")
    timeline = [
        (contest._meta.get_field("intake_opens_at").verbose_name, contest.intake_opens_at,
         "from"),
        (contest._meta.get_field("forwarding_deadline").verbose_name,
         contest.forwarding_deadline, "before"),
        (contest._meta.get_field("scoring_deadline").verbose_name, contest.scoring_deadline,
         "before"),
        (contest._meta.get_field("results_deadline").verbose_name, contest.results_deadline,
         "before"),
    ]
    return render(request, "contest/home.html", {
        "contest": contest,
        "categories": contest.categories.all(),
        "prizes": prize_table(contest=contest),
        "written_criteria": [c for c in contest.criteria.all() if c.round == "written"],
        "timeline": [
            {"label": label, "at": at, "kind": kind, "passed": not deadline_is_open(deadline=at)}
            for label, at, kind in timeline
        ],
    })


@never_cache
@require_GET
def healthz(request):
    """Readiness: the database, and Redis where configured. 503 when one is down."""
    from django.conf import settings

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2,
                                 socket_connect_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks},
                        status=200 if healthy else 503)
