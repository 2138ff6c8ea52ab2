"""What keeps the judging pages cheap at national size (500 judges, 100,000 entries) without
changing what they show: conflicts read for the entries of the page, the judge's queue
ordered from (entry, state) pairs with only the shown entries read, counts the page already
has (the ranking's, the boards' totals with their time) reused for the page links."""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from contest.enums import CommitteeBody, Role
from contest.models import CommitteeMember
from contest.paging import page_of
from judging import selectors
from judging.enums import ConflictReason, SheetStatus
from judging.forms import ManualAssignmentForm
from judging.models import Assignment, Conflict, JudgeProfile, Ranking, RankingRow, ScoreSheet
from judging.services import jury
from judging.services.jury import conflict_index, judge_choices
from tests.factories import (
    AuthorFactory,
    UnitFactory,
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
)
from tests.pages import captured_get

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- conflicts


def _conflict_world():
    """Every kind of conflict, for judges 0–5; judge 6 has none."""
    contest = judging_contest()
    judges = [judge_user(contest, email=f"gk{i}@example.vn") for i in range(7)]
    unit_a, unit_b = UnitFactory(contest=contest, name="Sở Tư pháp"), UnitFactory(contest=contest)
    unit_c = UnitFactory(contest=contest, name="UBND huyện Văn Lãng")
    e_unit = accepted_entry(contest, unit=unit_a)  # judge 0 works there, judge 1's home unit
    e_position = accepted_entry(contest, unit=unit_c)  # judge 2's committee position names it
    e_declared = accepted_entry(contest, unit=unit_b)  # judge 3 declared a conflict
    e_owner = accepted_entry(contest)  # judge 4 owns it
    e_author = accepted_entry(contest)  # judge 5 is an author by e-mail (other case)
    e_clean = accepted_entry(contest)
    grant(judges[0], contest, Role.UNIT_STAFF, unit=unit_a)
    JudgeProfile.objects.create(contest=contest, user=judges[1], home_unit=unit_a)
    CommitteeMember.objects.create(
        contest=contest,
        body=CommitteeBody.JURY,
        full_name="Thành viên",
        email="gk2@example.vn",
        position="Phó Chủ tịch UBND huyện Văn Lãng",
    )
    Conflict.objects.create(
        contest=contest,
        judge=judges[3],
        entry=e_declared,
        reason=ConflictReason.RELATIVE,
        declared_by=judges[3],
    )
    type(e_owner).objects.filter(pk=e_owner.pk).update(owner=judges[4])
    AuthorFactory(entry=e_author, position=2, is_representative=False, email="GK5@EXAMPLE.VN")
    entries = [e_unit, e_position, e_declared, e_owner, e_author, e_clean]
    expected = {
        (judges[0].pk, e_unit.pk): ConflictReason.OWN_UNIT,
        (judges[1].pk, e_unit.pk): ConflictReason.OWN_UNIT,
        (judges[2].pk, e_position.pk): ConflictReason.OWN_UNIT,
        (judges[3].pk, e_declared.pk): ConflictReason.RELATIVE,
        (judges[4].pk, e_owner.pk): ConflictReason.AUTHOR,
        (judges[5].pk, e_author.pk): ConflictReason.AUTHOR,
    }
    return contest, judges, entries, expected


def test_conflicts_of_a_page_are_those_read_for_the_whole_jury(monkeypatch):
    contest, judges, entries, expected = _conflict_world()
    ids = [e.pk for e in entries]

    narrow = conflict_index(contest=contest, judges=judge_choices(contest=contest), entry_ids=ids)
    by_ids = conflict_index(contest=contest, judge_ids=[j.pk for j in judges], entry_ids=ids)
    monkeypatch.setattr(jury, "NARROW_ENTRIES", 0)  # the path of the automatic assignment
    wide = conflict_index(contest=contest, judge_ids=[j.pk for j in judges], entry_ids=ids)

    assert narrow.reasons == expected
    assert by_ids.reasons == expected
    assert wide.reasons == expected


def test_conflicts_only_for_the_judges_asked():
    contest, judges, entries, _expected = _conflict_world()

    index = conflict_index(
        contest=contest, judge_ids=[judges[0].pk, judges[6].pk], entry_ids=[e.pk for e in entries]
    )

    assert index.reasons == {(judges[0].pk, entries[0].pk): ConflictReason.OWN_UNIT}


def test_assignment_page_lists_each_entrys_conflicts(client):
    contest, judges, _entries, _expected = _conflict_world()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    client.force_login(secretariat)

    html = client.get(reverse("judging:assignments", args=[contest.slug])).content.decode()

    own_unit = ConflictReason.OWN_UNIT.label
    assert f"{judges[0].get_full_name()}: {own_unit}" in html
    assert f"{judges[2].get_full_name()}: {own_unit}" in html
    assert f"{judges[5].get_full_name()}: {ConflictReason.AUTHOR.label}" in html
    assert judges[6].get_full_name() + ":" not in html


# ---------------------------------------------------------------- the judge's queue


def test_queue_items_carry_the_sheet_state_and_only_shown_entries_are_read(client):
    contest = judging_contest()
    judge = judge_user(contest)
    entries = [accepted_entry(contest, title=f"Bài {i:02d}") for i in range(60)]
    Assignment.objects.bulk_create(
        Assignment(contest=contest, entry=e, judge=judge, round="written") for e in entries
    )
    ScoreSheet.objects.create(
        contest=contest,
        entry=entries[0],
        judge=judge,
        status=SheetStatus.SUBMITTED,
        submitted_at=timezone.now(),
        total=Decimal("50"),
    )
    ScoreSheet.objects.create(contest=contest, entry=entries[1], judge=judge)

    items = selectors.judge_queue(contest=contest, judge=judge)
    states = {i.entry_id: (i.state, i.state_label) for i in items}

    assert [i.entry_id for i in items] == sorted(
        (e.pk for e in entries),
        key=lambda pk: selectors.queue_order_key(judge_id=judge.pk, entry_id=pk),
    )
    assert states[entries[0].pk] == ("submitted", SheetStatus.SUBMITTED.label)
    assert states[entries[1].pk] == ("draft", SheetStatus.DRAFT.label)
    assert states[entries[2].pk] == ("", "")
    assert all(i.entry is None for i in items)

    client.force_login(judge)
    sql, html = captured_get(client, reverse("judging:queue", args=[contest.slug]))
    entry_reads = [q for q in sql if '"submissions_entry"."title"' in q]
    assert len(entry_reads) == 1  # the 50 entries shown, by id
    assert len(re.findall(r'<a href="/cham-thi/[^"]+/giam-khao/bai/\d+/"', html)) == 50
    assert "Đã nộp 1/60 phiếu; còn 59 bài." in html


# ---------------------------------------------------------------- counts the page has


def _ranking(n: int):
    contest = judging_contest()
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
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
    return contest, organizer, ranking


def test_ranking_counts_are_read_once_per_computation_and_follow_tie_decisions(
    client, totals_cache, django_capture_on_commit_callbacks
):
    contest, organizer, ranking = _ranking(60)
    client.force_login(organizer)
    url = reverse("judging:ranking", args=[contest.slug])

    sql, html = captured_get(client, url)
    flagged_sql, flagged = captured_get(client, url, {"chenh-lech": "1"})

    assert not any("COUNT(" in q and "judging_rankingrow" in q for q in sql + flagged_sql)
    assert "60 bài được xếp hạng" in html and "Trang 1/2" in html
    assert "Bằng điểm chưa phân định (6)" in html
    assert "Bài có điểm giữa các giám khảo chênh lệch lớn (12)" in html
    assert len(re.findall(r"<tr>\s*<td>\d+</td>", flagged)) == 12

    row = RankingRow.objects.get(ranking=ranking, position=2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "tie",
                "kind": "individual",
                "row": str(row.pk),
                "first_entry": str(row.entry_id),
                "decision": "Quyết định số 3/QĐ-BTC",
            },
        )
    assert "Bằng điểm chưa phân định (5)" in client.get(url).content.decode()

    Ranking.objects.filter(pk=ranking.pk).update(computed_at=timezone.now())
    RankingRow.objects.filter(ranking=ranking, position__gt=50).delete()  # a new computation
    assert "50 bài được xếp hạng" in client.get(url).content.decode()


def test_ranking_of_a_category_is_counted(client, totals_cache):
    contest, organizer, _made = _ranking(30)
    client.force_login(organizer)
    category = contest.categories.order_by("position").first()

    sql, _html = captured_get(
        client, reverse("judging:ranking", args=[contest.slug]), {"linh-vuc": category.code}
    )

    assert sum("COUNT(" in q and "judging_rankingrow" in q for q in sql) == 1


def test_assignment_and_progress_pages_take_their_list_counts_from_the_totals(client, totals_cache):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    for i in range(3):
        judge_user(contest, full_name=f"Giám Khảo {i}")
    for i in range(30):
        accepted_entry(contest, title=f"Giải pháp {i:02d}")
    client.force_login(secretariat)
    assignments = reverse("judging:assignments", args=[contest.slug])
    progress = reverse("judging:progress", args=[contest.slug])

    sql, html = captured_get(client, assignments)
    found_sql, found = captured_get(client, assignments, {"q": "Giải pháp 0"})
    board_sql, _board = captured_get(client, progress)
    entries_sql, _entries = captured_get(client, progress, {"xem": "bai"})
    sheets_sql, _sheets = captured_get(client, progress, {"xem": "phieu"})

    def counts(queries):
        return [q for q in queries if q.startswith("SELECT COUNT(")]

    assert counts(sql) == counts(board_sql) == counts(entries_sql) == counts(sheets_sql) == []
    assert "Bảng phân công: 30 bài dự thi" in html and "Trang 1/2" in html
    assert len(counts(found_sql)) == 1 and "Bảng phân công: 10 bài dự thi" in found


def test_a_count_some_seconds_old_does_not_cut_the_last_page():
    rows = list(range(1, 13))  # 12 rows; the count, older, says 10

    first, _query = page_of(QueryDict("page=1"), rows, count=10, per_page=5)
    last, _query = page_of(QueryDict("page=2"), rows, count=10, per_page=5)
    beyond, _query = page_of(QueryDict("page=3"), rows, count=10, per_page=5)

    assert list(first.object_list) == [1, 2, 3, 4, 5]
    assert list(last.object_list) == [6, 7, 8, 9, 10]
    assert last.paginator.num_pages == 2 and beyond.number == 2
    fewer, _query = page_of(QueryDict("page=2"), rows[:7], count=10, per_page=5)
    assert list(fewer.object_list) == [6, 7]


# ---------------------------------------------------------------- the judges' select


def test_judge_select_offers_every_judge_and_refuses_another_id():
    contest = judging_contest()
    judges = [judge_user(contest, full_name=f"Giám Khảo <{i}>") for i in range(3)]
    outsider = UserFactory()
    choices = judge_choices(contest=contest)

    html = str(ManualAssignmentForm(entries=None, judges=choices)["judge"])
    bad = ManualAssignmentForm(
        {"entry": "X", "judge": str(outsider.pk)}, entries=None, judges=choices
    )
    bad.fields.pop("entry")

    assert html.count("<option ") == 3
    assert f'<option value="{judges[1].pk}">Giám Khảo &lt;1&gt;</option>' in html
    assert not bad.is_valid() and "judge" in bad.errors
    good = ManualAssignmentForm({"judge": str(judges[2].pk)}, entries=None, judges=choices)
    good.fields.pop("entry")
    assert good.is_valid() and good.cleaned_data["judge"].pk == judges[2].pk


def test_a_judge_who_left_the_jury_still_shows_with_their_assignments(client):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    staying = judge_user(contest, full_name="Bùi Văn Ở Lại")
    leaving = judge_user(contest, full_name="An Thị Rời Đi")
    entry = accepted_entry(contest)
    for judge in (staying, leaving):
        Assignment.objects.create(contest=contest, entry=entry, judge=judge, round="written")
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])
    before = client.get(url).content.decode()

    leaving.role_assignments.filter(contest=contest, role=Role.JUDGE).delete()
    after = client.get(url).content.decode()

    for html in (before, after):
        table = html[html.index("<table") :]
        assert table.index("An Thị Rời Đi") < table.index("Bùi Văn Ở Lại")
    option = f'<option value="{leaving.pk}"'
    assert option in before and option not in after
