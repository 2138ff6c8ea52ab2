"""The organizer's awards dashboard: its cost does not grow with the ranking, and what it
shows follows every change of its inputs at once (nothing on it is stale)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.services import (
    award_set_approve,
    award_set_compute,
    award_set_publish,
    award_settings_for,
    certificates_issue,
)
from contest.enums import Role
from judging.models import Ranking, RankingRow
from submissions.enums import EntryKind, EntryStatus
from tests.factories import ContestFactory, UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(contest):
    user = UserFactory()
    grant(user, contest, Role.ORGANIZER)
    return user


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def _url(contest) -> str:
    return reverse("awards:dashboard", args=[contest.pk])


def _page(client, contest) -> str:
    response = client.get(_url(contest))
    assert response.status_code == 200
    return response.content.decode()


def _ranked_counts(html: str) -> dict[str, int]:
    found = re.findall(r"(Cá nhân|Nhóm tác giả): (\d+) bài xếp hạng", html)
    return {label: int(n) for label, n in found}


def _rank(contest, kind, scores):
    entries = [accepted_entry(contest, kind=kind, authors=1) for _ in scores]
    ranking = approved_ranking(
        contest, kind=kind, rows=[(e, s) for e, s in zip(entries, scores, strict=True)]
    )
    return ranking, entries


def _dashboard_queries(client, contest) -> int:
    """The dashboard's queries on a warm request (the ranked counts are cached from the first
    on), leaving out the session's (read from the cache where there is one)."""
    _page(client, contest)
    with CaptureQueriesContext(connection) as queries:
        _page(client, contest)
    return len([q for q in queries.captured_queries if "django_session" not in q["sql"]])


def test_dashboard_queries_do_not_grow_with_the_ranking(
    client, django_capture_on_commit_callbacks, totals_cache
):
    counts = {}
    for size in (12, 160):
        contest = ContestFactory()
        organizer = UserFactory()
        grant(organizer, contest, Role.ORGANIZER)
        client.force_login(organizer)
        _rank(contest, EntryKind.INDIVIDUAL, [Decimal(90) - Decimal(i) / 10 for i in range(size)])
        _rank(contest, EntryKind.GROUP, [Decimal(80) - Decimal(i) / 10 for i in range(size)])
        before = _dashboard_queries(client, contest)
        award_set = award_set_compute(contest=contest, by=organizer)
        draft = _dashboard_queries(client, contest)
        award_set_approve(award_set=award_set, by=organizer)
        approved = _dashboard_queries(client, contest)
        with django_capture_on_commit_callbacks(execute=True):
            certificates_issue(award_set=award_set, by=organizer)
        award_set_publish(award_set=award_set, by=organizer)
        published = _dashboard_queries(client, contest)
        counts[size] = (before, draft, approved, published)

    assert counts[12] == counts[160]
    # user, contest, roles; award set, tiers, approved rankings, and without a set
    # nothing more; with one: its awards, their authors, tie decisions, award settings, the
    # plan's first rows of each kind, the certificates; in the draft also the candidates
    # for a change by hand, per kind.
    assert counts[12] == (6, 15, 13, 13)


def test_ranked_counts_follow_a_new_approved_ranking_at_once(organizer_client, contest):
    _rank(contest, EntryKind.INDIVIDUAL, [90, 80, 70])

    assert _ranked_counts(_page(organizer_client, contest)) == {"Cá nhân": 3, "Nhóm tác giả": 0}
    assert _ranked_counts(_page(organizer_client, contest)) == {"Cá nhân": 3, "Nhóm tác giả": 0}

    _rank(contest, EntryKind.GROUP, [85, 75])
    assert _ranked_counts(_page(organizer_client, contest)) == {"Cá nhân": 3, "Nhóm tác giả": 2}

    # The ranking replaced by another approved one (approved anew: a new approved_at).
    RankingRow.objects.filter(ranking__kind=EntryKind.INDIVIDUAL).delete()
    Ranking.objects.filter(kind=EntryKind.INDIVIDUAL).delete()
    _rank(contest, EntryKind.INDIVIDUAL, [95, 94, 93, 92, 91])
    assert _ranked_counts(_page(organizer_client, contest)) == {"Cá nhân": 5, "Nhóm tác giả": 2}


def test_a_ranking_approved_again_is_counted_again(organizer_client, contest):
    ranking, _entries = _rank(contest, EntryKind.INDIVIDUAL, [90, 80, 70])
    assert _ranked_counts(_page(organizer_client, contest))["Cá nhân"] == 3

    # Back to draft, recomputed with one row fewer, approved again.
    RankingRow.objects.filter(ranking=ranking, position=3).delete()
    Ranking.objects.filter(pk=ranking.pk).update(status="draft", approved_at=None)
    assert _ranked_counts(_page(organizer_client, contest))["Cá nhân"] == 0
    Ranking.objects.filter(pk=ranking.pk).update(status="approved", approved_at=timezone.now())
    assert _ranked_counts(_page(organizer_client, contest))["Cá nhân"] == 2


def test_ties_follow_the_settings_and_the_entries_at_once(organizer_client, contest, organizer):
    _ranking, entries = _rank(contest, EntryKind.INDIVIDUAL, [90, 85, 85, 70])
    award_set_compute(contest=contest, by=organizer)
    tie = "Bằng điểm ở ranh giới giải"

    assert tie in _page(organizer_client, contest)

    settings = award_settings_for(contest=contest)
    settings.minimum_score = Decimal("86")
    settings.save()
    assert tie not in _page(organizer_client, contest)

    settings.minimum_score = None
    settings.save()
    assert tie in _page(organizer_client, contest)

    type(entries[2]).objects.filter(pk=entries[2].pk).update(status=EntryStatus.INELIGIBLE)
    assert tie not in _page(organizer_client, contest)


def test_award_set_changes_show_at_once(organizer_client, contest, organizer):
    _ranking, entries = _rank(contest, EntryKind.INDIVIDUAL, [90, 80])

    html = _page(organizer_client, contest)
    assert "Tính giải</button>" in html and entries[0].tracking_code not in html

    award_set = award_set_compute(contest=contest, by=organizer)
    html = _page(organizer_client, contest)
    assert entries[0].tracking_code in html and "Tính lại giải" in html
    assert "Lưu điều chỉnh" in html  # the draft can be changed by hand

    award_set_approve(award_set=award_set, by=organizer)
    html = _page(organizer_client, contest)
    assert "Đã phê duyệt lúc" in html and "Lưu điều chỉnh" not in html
    assert "Công bố kết quả</button>" in html

    award_set_publish(award_set=award_set, by=organizer)
    html = _page(organizer_client, contest)
    assert "Đã công bố lúc" in html and "Công bố kết quả</button>" not in html


def _total(html: str) -> str:
    return re.search(r'<span id="awards-total">([^<]*)</span>', html).group(1)


def test_a_recomputed_award_set_shows_at_once(organizer_client, contest, organizer):
    _rank(contest, EntryKind.INDIVIDUAL, [90, 80])
    award_set_compute(contest=contest, by=organizer)
    before = _total(_page(organizer_client, contest))

    settings = award_settings_for(contest=contest)
    settings.minimum_score = Decimal("85")
    settings.save()
    assert _total(_page(organizer_client, contest)) == before  # the stored awards until...
    award_set_compute(contest=contest, by=organizer)  # ...they are computed again

    after = _total(_page(organizer_client, contest))
    assert after != before
    assert after == _total(_page(organizer_client, contest))


def test_dashboard_lists_the_authors_of_each_awarded_entry_in_order(
    organizer_client, contest, organizer
):
    first = accepted_entry(contest, author_names=["Hoàng Thị Ánh", "Lê Văn Bình"])
    second = accepted_entry(contest, author_names=["Nông Văn Cường"])
    approved_ranking(contest, kind=EntryKind.INDIVIDUAL, rows=[(first, 90), (second, 80)])
    award_set_compute(contest=contest, by=organizer)

    html = _page(organizer_client, contest)

    assert "Hoàng Thị Ánh, Lê Văn Bình" in html
    assert "Nông Văn Cường" in html
