"""Take the generated bench contest through judging to published results, with the
portal's own services, timing the ranking of every accepted entry from the database.

    DATABASE_URL=... .venv/bin/python bench/prepare.py

Unresolved ties are settled with a recorded bench decision (the organizing committee's
decision in real life). Safe to run twice: a published contest is left as it is."""

import json
import time

from common import SLUG, django_setup, machine, peak_rss_mib


def main() -> dict:
    django_setup()
    from django.contrib.auth import get_user_model

    from awards.allocation import plan_contest
    from awards.enums import AwardSetStatus
    from awards.models import AwardSet
    from awards.services import (
        award_set_approve,
        award_set_compute,
        award_set_publish,
        award_settings_for,
        tie_decide,
    )
    from contest.models import Contest, RoleAssignment
    from judging.enums import RankingStatus
    from judging.models import Ranking, RankingRow
    from judging.services.ranking import ranking_approve, ranking_compute

    contest = Contest.objects.get(slug=SLUG)
    users = get_user_model().objects
    secretariat = users.get(
        pk=RoleAssignment.objects.get(contest=contest, role="secretariat").user_id
    )
    organizer = users.get(pk=RoleAssignment.objects.get(contest=contest, role="organizer").user_id)
    out: dict = {"machine": machine()}
    if AwardSet.objects.filter(contest=contest, status=AwardSetStatus.PUBLISHED).exists():
        out["skipped"] = "already published"
        print(json.dumps(out, ensure_ascii=False))
        return out
    for kind in ("individual", "group"):
        if Ranking.objects.filter(contest=contest, kind=kind, status=RankingStatus.APPROVED):
            continue
        started = time.perf_counter()
        ranking = ranking_compute(contest=contest, kind=kind, by=secretariat)
        out[f"ranking_compute_{kind}_s"] = round(time.perf_counter() - started, 2)
        out[f"ranking_rows_{kind}"] = ranking.rows.count()
        RankingRow.objects.filter(ranking=ranking, tied_with_next=True).update(
            tied_with_next=False, tie_decision="Quyết định phân định (dữ liệu đo hiệu năng)"
        )
        ranking_approve(ranking=ranking, by=organizer)
    out["ranking_peak_rss_mib"] = round(peak_rss_mib(), 1)
    award_set = award_set_compute(contest=contest, by=organizer)
    minimum = award_settings_for(contest=contest).minimum_score
    for plan in plan_contest(contest=contest, minimum_score=minimum, decisions={}):
        for tie in plan.ties:
            tie_decide(
                award_set=award_set,
                kind=plan.kind,
                ordered_entry_ids=[row.entry_id for row in tie.rows],
                reason="Quyết định phân định (dữ liệu đo hiệu năng)",
                by=organizer,
            )
    award_set_approve(award_set=award_set, by=organizer)
    # Publishing queues one result notice per entrant (85,000 e-mails at full size): a
    # Celery job of its own, not part of this set-up, so it is queued to a broker nobody reads.
    from config.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    award_set_publish(award_set=award_set, by=organizer)
    # Publishing closes the contest; the bench contest keeps every stage's data at once, so
    # intake is opened again for the wizard pages (a set-up shortcut, not a portal path).
    Contest.objects.filter(pk=contest.pk).update(phase="open")
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
