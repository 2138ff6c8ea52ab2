"""The judging progress board and the ranking at national size: one page at a time, at a
cost that does not grow with the number of judges, entries, sheets or ranked rows; totals
from aggregates over the whole set; and the actions that concern the whole set (reminders,
approval) still act on all of it, not on the page shown."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.enums import Role
from judging.enums import RankingStatus, SheetStatus
from judging.models import Assignment, JudgingSettings, Ranking, RankingRow, Reminder, ScoreSheet
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
from tests.pages import counted_get

pytestmark = pytest.mark.django_db


def _staff(contest):
    secretariat, organizer = UserFactory(), UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    grant(organizer, contest, Role.ORGANIZER)
    return secretariat, organizer


def _board(n: int):
    """n judges and n entries; entry i assigned to judges i and i+1, the sheet of judge i
    submitted, that of judge i+1 a draft for even i. Rows written directly: scoring has its
    own tests."""
    contest = judging_contest()
    secretariat, _organizer = _staff(contest)
    judges = [judge_user(contest, full_name=f"Giám Khảo {i:03d}") for i in range(n)]
    entries = [accepted_entry(contest) for _ in range(n)]
    Assignment.objects.bulk_create(
        Assignment(contest=contest, entry=e, judge=judges[(i + k) % n], round="written")
        for i, e in enumerate(entries)
        for k in ((0, 1) if n > 1 else (0,))
    )
    now = timezone.now()
    ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(
                contest=contest,
                entry=e,
                judge=judges[i],
                status=SheetStatus.SUBMITTED,
                submitted_at=now,
                total=Decimal("70"),
            )
            for i, e in enumerate(entries)
        ]
        + [
            ScoreSheet(contest=contest, entry=e, judge=judges[(i + 1) % n])
            for i, e in enumerate(entries)
            if i % 2 == 0 and n > 1
        ]
    )
    return contest, secretariat, entries


def _ranking(n: int):
    """A draft ranking of n rows; every fifth row flagged, every eleventh tied (from the
    third and the second row on, so that even a small ranking has both)."""
    contest = judging_contest()
    secretariat, organizer = _staff(contest)
    ranking = Ranking.objects.create(contest=contest, kind="individual", computed_at=timezone.now())
    RankingRow.objects.bulk_create(
        RankingRow(
            ranking=ranking,
            entry=accepted_entry(contest),
            position=i,
            score=Decimal(100 - i),
            disagreement=i % 5 == 3,
            tied_with_next=i % 11 == 2,
        )
        for i in range(1, n + 1)
    )
    return contest, secretariat, organizer


@pytest.mark.parametrize(
    "params",
    [{}, {"xem": "bai"}, {"xem": "bai", "q": "CC25"}, {"xem": "phieu"}, {"xem": "phieu", "q": "A"}],
    ids=["judges", "entries", "entries-search", "sheets", "sheets-search"],
)
def test_progress_query_count_same_at_5_and_60_rows(client, params):
    counts = []
    for n in (5, 60):
        contest, secretariat, _entries = _board(n)
        client.force_login(secretariat)
        count, _html = counted_get(client, reverse("judging:progress", args=[contest.slug]), params)
        counts.append(count)

    assert counts[0] == counts[1]


def test_progress_totals_come_from_the_whole_set_rows_from_one_page(client):
    contest, secretariat, _entries = _board(60)
    client.force_login(secretariat)
    url = reverse("judging:progress", args=[contest.slug])

    _count, judges_page = counted_get(client, url)
    _count, entries_page = counted_get(client, url, {"xem": "bai", "page": "2"})
    _count, sheets_page = counted_get(client, url, {"xem": "phieu"})

    assert '<dd class="h5 mb-0">60</dd>' in judges_page  # entries to score
    assert '<dd class="h5 mb-0">60/120</dd>' in judges_page  # sheets submitted / assigned
    assert '<dd class="h5 mb-0">30</dd>' in judges_page  # drafts
    assert len(re.findall(r'name="judge" value="\d+"', judges_page)) == 50
    assert "Trang 1/2" in judges_page and 'href="?page=2"' in judges_page
    assert len(re.findall(r"<td>1/2</td>", entries_page)) == 10
    assert 'href="?xem=bai&amp;page=1"' in entries_page
    assert len(re.findall(r"Mở lại", sheets_page)) == 50


def test_progress_reminder_without_choice_goes_to_every_judge_with_work_left(client):
    contest, secretariat, _entries = _board(60)
    client.force_login(secretariat)

    client.post(reverse("judging:progress", args=[contest.slug]))

    # Each judge has two assignments and one submitted sheet: all 60, not the page's 50.
    assert Reminder.objects.filter(contest=contest).count() == 60


@pytest.mark.parametrize(
    "params",
    [{}, {"page": "2"}, {"linh-vuc": "a"}, {"chenh-lech": "1"}],
    ids=["first-page", "second-page", "category", "flagged"],
)
def test_ranking_query_count_same_at_5_and_60_rows(client, params):
    counts = []
    for n in (5, 60):
        contest, secretariat, _organizer = _ranking(n)
        client.force_login(secretariat)
        count, _html = counted_get(client, reverse("judging:ranking", args=[contest.slug]), params)
        counts.append(count)

    assert counts[0] == counts[1]


def test_ranking_pages_counts_ties_and_flags_cover_the_whole_ranking(client):
    contest, _secretariat, organizer = _ranking(120)
    client.force_login(organizer)
    url = reverse("judging:ranking", args=[contest.slug])

    _count, first = counted_get(client, url, {"loai": "individual"})
    _count, third = counted_get(client, url, {"loai": "individual", "page": "3"})
    _count, flagged = counted_get(client, url, {"loai": "individual", "chenh-lech": "1"})

    assert "Trang 1/3" in first and 'href="?loai=individual&amp;page=2"' in first
    assert "120 bài được xếp hạng" in first
    assert "Bằng điểm chưa phân định (11)" in first  # 2, 13, … 112
    assert len(re.findall(r'name="action" value="tie"', first)) == 11
    assert "Bài có điểm giữa các giám khảo chênh lệch lớn (24)" in first  # 3, 8, … 118
    assert len(re.findall(r"độ lệch chuẩn", first)) == 20  # the first ones, and a link
    positions = re.findall(r"<tr>\s*<td>(\d+)</td>", third)
    assert positions == [str(p) for p in range(101, 121)]
    assert len(re.findall(r"<tr>\s*<td>\d+</td>", flagged)) == 24
    assert 'href="?loai=individual&amp;chenh-lech=1"' in first


def test_ranking_tie_decision_for_a_row_far_down_the_ranking(client):
    contest, _secretariat, organizer = _ranking(120)
    ranking = Ranking.objects.get(contest=contest)
    row = RankingRow.objects.get(ranking=ranking, position=112)
    nxt = RankingRow.objects.get(ranking=ranking, position=113)
    client.force_login(organizer)

    client.post(
        reverse("judging:ranking", args=[contest.slug]),
        {
            "action": "tie",
            "kind": "individual",
            "row": str(row.pk),
            "first_entry": str(nxt.entry_id),
            "decision": "Quyết định số 12/QĐ-BTC",
        },
    )

    assert list(
        RankingRow.objects.filter(ranking=ranking, position__in=[112, 113])
        .order_by("position")
        .values_list("entry_id", "tied_with_next")
    ) == [(nxt.entry_id, False), (row.entry_id, False)]


def test_ranking_tie_post_with_bad_row_is_404(client):
    contest, _secretariat, organizer = _ranking(5)
    client.force_login(organizer)

    codes = [
        client.post(
            reverse("judging:ranking", args=[contest.slug]),
            {"action": "tie", "kind": "individual", "row": value},
        ).status_code
        for value in ("abc", "999999", "")
    ]

    assert codes == [404, 404, 404]


def test_ranking_approve_from_the_first_page_approves_every_row(client):
    contest = judging_contest()
    secretariat, organizer = _staff(contest)
    JudgingSettings.objects.filter(contest=contest).update(judges_per_entry=1)
    judges = [judge_user(contest) for _ in range(2)]
    entries = [accepted_entry(contest) for _ in range(55)]
    assignment_auto(contest=contest, by=secretariat)
    for i, entry in enumerate(entries):
        judge = next(j for j in judges if entry.assignments.filter(judge=j).exists())
        # Distinct totals (no tie to settle): i points spread over the first criteria.
        points = [min(i, 30), min(max(i - 30, 0), 20), max(i - 50, 0), 10, 5]
        score_all(entry, judge, points)
    ranking_compute(contest=contest, kind="individual", by=secretariat)
    client.force_login(organizer)
    url = reverse("judging:ranking", args=[contest.slug])
    _count, first = counted_get(client, url)

    client.post(url, {"action": "approve", "kind": "individual"})

    ranking = Ranking.objects.get(contest=contest, kind="individual")
    assert "Trang 1/2" in first
    assert (ranking.status, ranking.rows.count()) == (RankingStatus.APPROVED, 55)
