from decimal import Decimal

import pytest

from awards.enums import AwardSetStatus
from awards.models import Award, TieDecision
from awards.selectors import proposal
from awards.services import (
    AwardsRefused,
    award_change,
    award_set_approve,
    award_set_compute,
    award_set_total,
    award_settings_for,
    tie_decide,
)
from contest.enums import Role
from contest.models import Event
from contest.selectors import prize_table
from judging.models import Ranking, RankingRow
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(contest):
    user = UserFactory(full_name="Trần Văn Tổ Chức")
    grant(user, contest, Role.ORGANIZER)
    return user


def _ranked(contest, kind, scores):
    entries = [accepted_entry(contest, kind=kind) for _ in scores]
    approved_ranking(
        contest, kind=kind, rows=[(e, s) for e, s in zip(entries, scores, strict=True)]
    )
    return entries


def _awarded(award_set, kind):
    return [
        (a.tier.name, a.slot, a.entry_id, a.amount)
        for a in award_set.awards.filter(kind=kind)
        .select_related("tier")
        .order_by("tier__rank", "slot")
    ]


def test_compute_allocates_every_prize_in_ranking_order(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 80, 75, 70, 65, 60])

    award_set = award_set_compute(contest=contest, by=organizer)

    assert _awarded(award_set, EntryKind.INDIVIDUAL) == [
        ("Giải nhất", 1, entries[0].pk, 5_000_000),
        ("Giải nhì", 1, entries[1].pk, 2_500_000),
        ("Giải ba", 1, entries[2].pk, 1_500_000),
        ("Giải ba", 2, entries[3].pk, 1_500_000),
        ("Giải khuyến khích", 1, entries[4].pk, 1_000_000),
        ("Giải khuyến khích", 2, entries[5].pk, 1_000_000),
        ("Giải khuyến khích", 3, entries[6].pk, 1_000_000),
    ]


def test_compute_group_amounts_are_one_and_a_half_times(contest, organizer):
    entries = _ranked(contest, EntryKind.GROUP, [90, 80, 70, 60, 50, 40, 30])

    award_set = award_set_compute(contest=contest, by=organizer)

    assert [amount for *_rest, amount in _awarded(award_set, EntryKind.GROUP)] == [
        7_500_000,
        3_750_000,
        2_250_000,
        2_250_000,
        1_500_000,
        1_500_000,
        1_500_000,
    ]
    assert [entry for _t, _s, entry, _a in _awarded(award_set, EntryKind.GROUP)] == [
        e.pk for e in entries
    ]


def test_compute_full_2025_total_is_the_fund(contest, organizer):
    _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 80, 75, 70, 65])
    _ranked(contest, EntryKind.GROUP, [94, 89, 84, 79, 74, 69, 64])

    award_set = award_set_compute(contest=contest, by=organizer)

    assert award_set_total(award_set=award_set) == 33_750_000
    assert prize_table(contest=contest).total == 33_750_000


def test_compute_fewer_entries_than_prizes_leaves_prizes_not_awarded(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [88, 77, 66])

    award_set = award_set_compute(contest=contest, by=organizer)

    assert _awarded(award_set, EntryKind.INDIVIDUAL) == [
        ("Giải nhất", 1, entries[0].pk, 5_000_000),
        ("Giải nhì", 1, entries[1].pk, 2_500_000),
        ("Giải ba", 1, entries[2].pk, 1_500_000),
        ("Giải ba", 2, None, 1_500_000),
        ("Giải khuyến khích", 1, None, 1_000_000),
        ("Giải khuyến khích", 2, None, 1_000_000),
        ("Giải khuyến khích", 3, None, 1_000_000),
    ]
    assert award_set_total(award_set=award_set) == 9_000_000


def test_compute_minimum_score_excludes_entries_below_it(contest, organizer):
    settings_obj = award_settings_for(contest=contest)
    settings_obj.minimum_score = Decimal("70")
    settings_obj.save()
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [90, 80, 70, 69.999, 60])

    award_set = award_set_compute(contest=contest, by=organizer)

    awarded = [entry for _t, _s, entry, _a in _awarded(award_set, EntryKind.INDIVIDUAL) if entry]
    assert awarded == [entries[0].pk, entries[1].pk, entries[2].pk]


def test_compute_without_approved_ranking_awards_nothing(contest, organizer):
    award_set = award_set_compute(contest=contest, by=organizer)

    assert award_set.awards.filter(entry__isnull=False).count() == 0
    assert award_set.awards.count() == 14


def test_compute_twice_gives_one_result(contest, organizer):
    _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 80, 75, 70, 65])
    first = award_set_compute(contest=contest, by=organizer)
    before = list(
        Award.objects.order_by("pk").values_list(
            "pk", "kind", "tier_id", "slot", "entry_id", "amount"
        )
    )

    second = award_set_compute(contest=contest, by=organizer)

    after = list(
        Award.objects.order_by("pk").values_list(
            "pk", "kind", "tier_id", "slot", "entry_id", "amount"
        )
    )
    assert second.pk == first.pk
    assert after == before
    assert Event.objects.filter(action="awards_computed").count() == 2


def test_compute_tie_across_boundary_is_flagged_and_blocks_approval(contest, organizer):
    # Positions 2 and 3 tie (equal score): the boundary between second and third prize.
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 88, 88, 80, 75, 70, 65])

    award_set = award_set_compute(contest=contest, by=organizer)

    pending = list(
        award_set.awards.filter(tie_pending=True)
        .order_by("tier__rank", "slot")
        .values_list("entry_id", flat=True)
    )
    assert pending == [entries[1].pk, entries[2].pk]
    with pytest.raises(AwardsRefused):
        award_set_approve(award_set=award_set, by=organizer)


def test_compute_tie_flag_from_ranking_row_at_last_prize_boundary(contest, organizer):
    entries = [accepted_entry(contest) for _ in range(8)]
    rows = [
        (entries[0], 95),
        (entries[1], 90),
        (entries[2], 85),
        (entries[3], 80),
        (entries[4], 75),
        (entries[5], 70),
        (entries[6], 65, True),
        (entries[7], 64),
    ]
    approved_ranking(contest, kind=EntryKind.INDIVIDUAL, rows=rows)

    award_set = award_set_compute(contest=contest, by=organizer)

    assert list(award_set.awards.filter(tie_pending=True).values_list("entry_id", flat=True)) == [
        entries[6].pk
    ]


def test_compute_tie_inside_one_tier_is_not_flagged(contest, organizer):
    _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 85, 75, 70, 65])

    award_set = award_set_compute(contest=contest, by=organizer)

    assert award_set.awards.filter(tie_pending=True).count() == 0


def test_tie_decide_records_the_order_and_reason(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 88, 88, 80, 75, 70, 65])
    award_set = award_set_compute(contest=contest, by=organizer)

    tie_decide(
        award_set=award_set,
        kind=EntryKind.INDIVIDUAL,
        ordered_entry_ids=[entries[2].pk, entries[1].pk],
        reason="Biên bản họp Ban Tổ chức: bài thứ ba có tính khả thi cao hơn",
        by=organizer,
    )

    award_set.refresh_from_db()
    assert _awarded(award_set, EntryKind.INDIVIDUAL)[1:3] == [
        ("Giải nhì", 1, entries[2].pk, 2_500_000),
        ("Giải ba", 1, entries[1].pk, 1_500_000),
    ]
    assert award_set.awards.filter(tie_pending=True).count() == 0
    assert TieDecision.objects.get().reason.startswith("Biên bản họp")
    assert Event.objects.filter(action="tie_decided").count() == 1
    award_set_approve(award_set=award_set, by=organizer)
    award_set.refresh_from_db()
    assert award_set.status == AwardSetStatus.APPROVED


def test_tie_decide_without_reason_is_refused(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 88, 88])
    award_set = award_set_compute(contest=contest, by=organizer)

    with pytest.raises(AwardsRefused):
        tie_decide(
            award_set=award_set,
            kind=EntryKind.INDIVIDUAL,
            ordered_entry_ids=[entries[2].pk, entries[1].pk],
            reason="  ",
            by=organizer,
        )


def test_tie_decide_with_wrong_entries_is_refused(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 88, 88])
    award_set = award_set_compute(contest=contest, by=organizer)

    with pytest.raises(AwardsRefused):
        tie_decide(
            award_set=award_set,
            kind=EntryKind.INDIVIDUAL,
            ordered_entry_ids=[entries[0].pk, entries[1].pk],
            reason="Lý do",
            by=organizer,
        )


def test_award_change_records_reason_and_keeps_one_prize_per_entry(contest, organizer):
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 80, 75, 70, 65, 60])
    award_set = award_set_compute(contest=contest, by=organizer)
    last = award_set.awards.get(kind=EntryKind.INDIVIDUAL, tier__rank=4, slot=3)

    award_change(
        award=last, entry_id=entries[7].pk, reason="Bài xếp thứ 7 vi phạm thể lệ", by=organizer
    )

    last.refresh_from_db()
    assert last.entry_id == entries[7].pk
    assert last.change_reason == "Bài xếp thứ 7 vi phạm thể lệ"
    with pytest.raises(AwardsRefused):
        award_change(award=last, entry_id=entries[0].pk, reason="Trùng", by=organizer)


def test_award_change_to_not_awarded_lowers_the_total(contest, organizer):
    _ranked(contest, EntryKind.INDIVIDUAL, [95, 90, 85, 80, 75, 70, 65])
    award_set = award_set_compute(contest=contest, by=organizer)
    first = award_set.awards.get(kind=EntryKind.INDIVIDUAL, tier__rank=1)

    award_change(award=first, entry_id=None, reason="Không đạt chất lượng giải nhất", by=organizer)

    assert award_set_total(award_set=award_set) == 13_500_000 - 5_000_000


def test_compute_after_approval_is_refused(contest, organizer):
    _ranked(contest, EntryKind.INDIVIDUAL, [95, 90])
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)

    with pytest.raises(AwardsRefused):
        award_set_compute(contest=contest, by=organizer)


def test_a_tie_at_the_last_prize_is_followed_past_the_first_page_of_rows(contest, organizer):
    # Seven individual prizes; from the seventh row on, 244 entries share one score: the
    # plan reads the ranking a page at a time (24 rows, then twice as many each time) and
    # must follow the tie to its end.
    scores = [95, 90, 85, 80, 75, 70] + [65] * 244 + [60]
    entries = _ranked(contest, EntryKind.INDIVIDUAL, scores)

    award_set = award_set_compute(contest=contest, by=organizer)
    tie = next(t for t in proposal(contest=contest).ties if t.kind == EntryKind.INDIVIDUAL)

    assert [r.entry_id for r in tie.rows] == [e.pk for e in entries[6:250]]
    assert list(award_set.awards.filter(tie_pending=True).values_list("entry_id", flat=True)) == [
        entries[6].pk
    ]


def test_the_plan_reads_only_the_head_of_a_long_ranking(contest, organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.allocation import plan_contest

    counts = []
    for n in (20, 420):
        RankingRow.objects.all().delete()
        Ranking.objects.all().delete()
        _ranked(contest, EntryKind.INDIVIDUAL, [100 - i * 0.2 for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            plans = plan_contest(contest=contest, minimum_score=None, decisions={})
        counts.append(len(queries))
        assert len([a for a in plans[0].awards if a.entry is not None]) == 7

    assert counts[0] == counts[1]


def test_the_plan_reads_on_past_ineligible_entries_at_the_top(contest, organizer):
    from submissions.enums import EntryStatus
    from submissions.models import Entry

    # The first 100 ranked entries were found ineligible after the ranking was approved:
    # the seven prizes go to the next seven, read several pages further down.
    entries = _ranked(contest, EntryKind.INDIVIDUAL, [100 - i * 0.1 for i in range(120)])
    Entry.objects.filter(pk__in=[e.pk for e in entries[:100]]).update(status=EntryStatus.INELIGIBLE)

    award_set = award_set_compute(contest=contest, by=organizer)

    awarded = award_set.awards.filter(kind=EntryKind.INDIVIDUAL).order_by("tier__rank", "slot")
    assert [a.entry_id for a in awarded] == [e.pk for e in entries[100:107]]
