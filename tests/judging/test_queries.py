"""The judge queue, the progress board and the ranking page cost the same number of queries
whatever the number of entries, judges and sheets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.enums import Role
from judging.services.assignment import assignment_auto
from judging.services.ranking import ranking_compute
from tests.factories import (
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
    score_all,
)


def _build(size: int):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    judges = [judge_user(contest) for _ in range(size + 2)]
    entries = [accepted_entry(contest) for _ in range(size * 2)]
    assignment_auto(contest=contest, by=secretariat)
    for entry in entries:
        for assignment in entry.assignments.all():
            score_all(entry, assignment.judge, [20, 15, 15, 10, 5])
    ranking_compute(contest=contest, kind="individual", by=secretariat)
    return contest, secretariat, judges[0]


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("page", "who"),
    [
        ("judging:queue", "judge"),
        ("judging:progress", "secretariat"),
        ("judging:ranking", "secretariat"),
        ("judging:assignments", "secretariat"),
    ],
)
def test_page_query_count_independent_of_size(db, client, page, who):
    small_contest, small_sec, small_judge = _build(2)
    large_contest, large_sec, large_judge = _build(5)

    small = _count(
        client,
        small_judge if who == "judge" else small_sec,
        reverse(page, args=[small_contest.slug]),
    )
    large = _count(
        client,
        large_judge if who == "judge" else large_sec,
        reverse(page, args=[large_contest.slug]),
    )

    assert small == large
