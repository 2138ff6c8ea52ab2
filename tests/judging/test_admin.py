from django.contrib import admin
from django.test import RequestFactory

from contest.models import Contest
from judging.admin import LockedRubricCriterionInline
from judging.services.assignment import assignment_add
from tests.factories import (
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
    score_all,
)


def _inline(contest, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry[Contest]
    inline = next(
        i
        for i in model_admin.get_inline_instances(request, contest)
        if isinstance(i, LockedRubricCriterionInline)
    )
    return inline, request


def test_admin_rubric_editable_until_first_score(db):
    contest = judging_contest()
    superuser = UserFactory(is_staff=True, is_superuser=True)
    secretariat = UserFactory()
    grant(secretariat, contest, "secretariat")
    judge = judge_user(contest)
    entry = accepted_entry(contest)
    assignment_add(contest=contest, entry=entry, judge=judge, by=secretariat)
    inline, request = _inline(contest, superuser)
    before = (
        inline.has_add_permission(request, contest),
        inline.has_change_permission(request, contest),
        inline.has_delete_permission(request, contest),
    )

    score_all(entry, judge, [20, 15, 15, 10, 5], submit=False)
    after = (
        inline.has_add_permission(request, contest),
        inline.has_change_permission(request, contest),
        inline.has_delete_permission(request, contest),
    )

    assert before == (True, True, True)
    assert after == (False, False, False)


def test_admin_contest_change_page_renders(db, client):
    contest = judging_contest()
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)

    response = client.get(f"/quan-tri/contest/contest/{contest.pk}/change/")

    assert response.status_code == 200
