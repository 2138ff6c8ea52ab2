"""EXPLAIN (ANALYZE, BUFFERS) of the main list queries on the bench contest, as the pages
build them (selectors), printed as Markdown for docs/performance.md.

    DATABASE_URL=<db> .venv/bin/python bench/explain.py > explain.md
"""

from common import SLUG, django_setup


def plans() -> list[tuple[str, object]]:
    from django.db.models import Count
    from django.http import QueryDict

    from contest.models import Contest
    from judging.models import Assignment
    from submissions.lookup import _find_entry
    from submissions.models import Entry
    from submissions.quotas import _annotated_units
    from submissions.selectors_screening import EntryFilters, unit_entries

    contest = Contest.objects.get(slug=SLUG)
    busiest = (
        Entry.objects.filter(contest=contest)
        .exclude(status="draft")
        .values("holder_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["holder_id"]
    )
    unit = contest.units.get(pk=busiest)
    categories = set(contest.categories.values_list("pk", flat=True))
    default = EntryFilters.from_params(QueryDict(""), category_ids=categories)
    filtered = EntryFilters.from_params(
        QueryDict("status=accepted&sort=title"), category_ids=categories
    )
    code = Entry.objects.filter(contest=contest, status="submitted").first().tracking_code
    judge = Assignment.objects.filter(contest=contest).values("judge_id").first()["judge_id"]
    return [
        ("unit dashboard, page 1 (newest first)", unit_entries(unit=unit, filters=default)[:25]),
        (
            "unit dashboard, page 40",
            unit_entries(unit=unit, filters=default)[975:1000],
        ),
        (
            "unit dashboard, filtered by status, sorted by title",
            unit_entries(unit=unit, filters=filtered)[:25],
        ),
        ("compliance board (one query, all units)", _annotated_units(contest.pk)),
        ("public look-up by code", _lookup_queryset(_find_entry, code)),
        (
            "judge's queue",
            Assignment.objects.filter(
                contest=contest, judge_id=judge, round="written", entry__status__in=["accepted"]
            ).select_related("entry", "entry__category"),
        ),
    ]


def _lookup_queryset(find, code):
    """The queryset _find_entry runs, captured from its SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        find(code.replace("-", ""))
    return queries.captured_queries[0]["sql"]


def main() -> None:
    django_setup()
    from django.db import connection

    for title, query in plans():
        if isinstance(query, str):
            sql, params = query, ()
        else:
            sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
        print(f"#### {title}\n\n```")
        print("\n".join(lines))
        print("```\n")


if __name__ == "__main__":
    main()
