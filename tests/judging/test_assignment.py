from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.enums import Role
from judging.enums import ConflictReason
from judging.errors import JudgingRefused
from judging.models import Assignment, JudgeProfile
from judging.services.assignment import assignment_add, assignment_auto, assignment_plan
from judging.services.jury import conflict_declare
from tests.factories import (
    AuthorFactory,
    UnitFactory,
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
)


@st.composite
def assignment_problems(draw):
    n_judges = draw(st.integers(min_value=1, max_value=8))
    n_entries = draw(st.integers(min_value=0, max_value=25))
    k = draw(st.integers(min_value=1, max_value=5))
    judges = list(range(100, 100 + n_judges))
    entries = list(range(1, n_entries + 1))
    conflicts = (
        draw(
            st.sets(
                st.tuples(
                    st.sampled_from(entries) if entries else st.nothing(), st.sampled_from(judges)
                ),
                max_size=40,
            )
        )
        if entries
        else set()
    )
    return judges, entries, k, conflicts


def _plan(judges, entries, k, conflicts):
    eligible = {e: [j for j in judges if (e, j) not in conflicts] for e in entries}
    pairs = assignment_plan(entries=entries, eligible=eligible, wanted=dict.fromkeys(entries, k))
    return eligible, pairs


@settings(max_examples=300, deadline=None)
@given(assignment_problems())
def test_assignment_plan_never_breaks_conflict_and_fills_each_entry(problem):
    judges, entries, k, conflicts = problem

    eligible, pairs = _plan(judges, entries, k, conflicts)

    assert not [p for p in pairs if p in conflicts]
    assert len(set(pairs)) == len(pairs)
    per_entry = Counter(e for e, _j in pairs)
    assert {e: per_entry.get(e, 0) for e in entries} == {
        e: min(k, len(eligible[e])) for e in entries
    }


@settings(max_examples=300, deadline=None)
@given(assignment_problems())
def test_assignment_plan_balances_loads_where_feasible(problem):
    judges, entries, k, conflicts = problem

    eligible, pairs = _plan(judges, entries, k, conflicts)

    load = Counter({j: 0 for j in judges})
    load.update(j for _e, j in pairs)
    assigned = {e: {j for e2, j in pairs if e2 == e} for e in entries}
    # Wherever two loads differ by 2 or more, no entry of the busier judge can move to the
    # idler one (it is not eligible there or already has that judge): the plan is balanced
    # as far as the conflicts allow.
    for high in judges:
        for low in judges:
            if load[high] - load[low] >= 2:
                movable = [
                    e
                    for e in entries
                    if high in assigned[e] and low in eligible[e] and low not in assigned[e]
                ]
                assert movable == []


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 8), st.integers(0, 30), st.integers(1, 5))
def test_assignment_plan_without_conflicts_loads_differ_by_at_most_one(n_judges, n_entries, k):
    judges, entries = list(range(n_judges)), list(range(n_entries))

    _eligible, pairs = _plan(judges, entries, k, set())

    load = Counter({j: 0 for j in judges})
    load.update(j for _e, j in pairs)
    assert max(load.values()) - min(load.values()) <= 1


def test_assignment_plan_is_deterministic():
    eligible = {1: [10, 11, 12], 2: [10, 11, 12], 3: [11, 12]}

    first = assignment_plan(
        entries=[1, 2, 3], eligible=eligible, wanted=dict.fromkeys([1, 2, 3], 2)
    )
    second = assignment_plan(
        entries=[3, 2, 1], eligible=eligible, wanted=dict.fromkeys([1, 2, 3], 2)
    )

    assert first == second


@pytest.fixture
def jury(db):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    judges = [judge_user(contest) for _ in range(4)]
    return contest, secretariat, judges


def test_assignment_auto_skips_author_own_unit_and_declared_conflicts(jury):
    contest, secretariat, judges = jury
    unit = UnitFactory(contest=contest)
    written = accepted_entry(contest)
    AuthorFactory(entry=written, position=2, is_representative=False, email=judges[0].email)
    own_unit = accepted_entry(contest, unit=unit)
    JudgeProfile.objects.create(contest=contest, user=judges[1], home_unit=unit)
    declared = accepted_entry(contest)
    conflict_declare(
        contest=contest,
        judge=judges[2],
        entry=declared,
        reason=ConflictReason.RELATIVE,
        by=judges[2],
    )

    added = assignment_auto(contest=contest, by=secretariat)

    pairs = set(Assignment.objects.values_list("entry_id", "judge_id"))
    assert added == 9
    assert (written.pk, judges[0].pk) not in pairs
    assert (own_unit.pk, judges[1].pk) not in pairs
    assert (declared.pk, judges[2].pk) not in pairs
    assert Counter(e for e, _j in pairs) == {written.pk: 3, own_unit.pk: 3, declared.pk: 3}


def test_assignment_auto_excludes_judge_holding_unit_role(jury):
    contest, secretariat, judges = jury
    unit = UnitFactory(contest=contest)
    grant(judges[3], contest, Role.UNIT_HEAD, unit=unit)
    entry = accepted_entry(contest, unit=unit)

    assignment_auto(contest=contest, by=secretariat)

    assert sorted(
        Assignment.objects.filter(entry=entry).values_list("judge_id", flat=True)
    ) == sorted(j.pk for j in judges[:3])


def test_assignment_auto_twice_adds_nothing_more(jury):
    contest, secretariat, _judges = jury
    accepted_entry(contest)
    assignment_auto(contest=contest, by=secretariat)

    added = assignment_auto(contest=contest, by=secretariat)

    assert added == 0
    assert Assignment.objects.count() == 3


def test_assignment_add_refuses_conflict_with_reason(jury):
    contest, secretariat, judges = jury
    entry = accepted_entry(contest)
    entry.owner = judges[0]
    entry.save(update_fields=["owner"])

    with pytest.raises(JudgingRefused) as refused:
        assignment_add(contest=contest, entry=entry, judge=judges[0], by=secretariat)

    assert str(refused.value) == (
        "Không thể phân công: giám khảo có xung đột lợi ích với bài này (Là tác giả của bài)."
    )
    assert Assignment.objects.count() == 0


def test_assignment_add_by_judge_refused(jury):
    contest, _secretariat, judges = jury
    entry = accepted_entry(contest)

    with pytest.raises(JudgingRefused):
        assignment_add(contest=contest, entry=entry, judge=judges[1], by=judges[0])


def test_conflict_declared_after_assignment_removes_it(jury):
    contest, secretariat, judges = jury
    entry = accepted_entry(contest)
    assignment_add(contest=contest, entry=entry, judge=judges[0], by=secretariat)

    conflict_declare(
        contest=contest,
        judge=judges[0],
        entry=entry,
        reason=ConflictReason.COLLEAGUE,
        by=secretariat,
    )

    assert Assignment.objects.filter(entry=entry, judge=judges[0]).exists() is False
