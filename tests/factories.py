"""Factories for tests: a contest configured like the 2025 plan, units, users, roles, entries."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from contest import seed_data
from contest.enums import ContestPhase, Role, UnitType
from contest.models import (
    Category,
    Contest,
    Criterion,
    PrizeTier,
    QuotaRule,
    RoleAssignment,
    Unit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ContestFactory(factory.django.DjangoModelFactory):
    """A contest with the plan's categories, quotas, prizes and rubric."""

    class Meta:
        model = Contest
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cuộc thi ý tưởng CCHC thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"Cuộc thi thử {n}")
    year = 2025
    slug = factory.Sequence(lambda n: f"thu-{n}")
    phase = ContestPhase.OPEN
    intake_opens_at = dt.datetime(2025, 3, 1, tzinfo=VN)
    forwarding_deadline = dt.datetime(2025, 7, 15, tzinfo=VN)
    scoring_deadline = dt.datetime(2025, 8, 31, tzinfo=VN)
    results_deadline = dt.datetime(2025, 9, 30, tzinfo=VN)
    group_prize_multiplier = seed_data.GROUP_MULTIPLIER

    @factory.post_generation
    def configuration(contest, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Category.objects.bulk_create(
            Category(contest=contest, code=code, position=i, title=title, description=desc)
            for i, (code, title, desc) in enumerate(seed_data.CATEGORIES, start=1)
        )
        QuotaRule.objects.bulk_create(
            QuotaRule(contest=contest, unit_type=t, minimum=m, mandatory=mand)
            for t, m, mand in seed_data.QUOTAS
        )
        PrizeTier.objects.bulk_create(
            PrizeTier(
                contest=contest,
                rank=r,
                name=n,
                individual_count=i,
                group_count=g,
                individual_amount=a,
                merit_certificate=b,
            )
            for r, n, i, g, a, b in seed_data.PRIZES
        )
        Criterion.objects.bulk_create(
            Criterion(contest=contest, round=rnd, position=p, title=t, max_points=m, description=d)
            for rnd, p, t, m, d in seed_data.RUBRIC
        )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    contest = factory.SubFactory(ContestFactory)
    code = factory.Sequence(lambda n: f"dv-{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    unit_type = UnitType.DEPARTMENT


def district_with_communes(contest, name="UBND huyện Cao Lộc", communes=2):
    district = UnitFactory(contest=contest, name=name, unit_type=UnitType.DISTRICT)
    children = [
        UnitFactory(
            contest=contest, name=f"UBND xã Thử {i}", unit_type=UnitType.COMMUNE, parent=district
        )
        for i in range(1, communes + 1)
    ]
    return district, children


def grant(user, contest, role: str, unit=None) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, contest=contest, role=role, unit=unit)
    if hasattr(user, "_portal_roles"):
        del user._portal_roles
    return assignment


__all__ = [
    "ContestFactory",
    "Role",
    "UnitFactory",
    "UserFactory",
    "district_with_communes",
    "grant",
]


# --- entries (appended by the accounts engineer) ---------------------------------------


class EntryFactory(factory.django.DjangoModelFactory):
    """A draft entry of a contest. Move it on with submissions.workflow.entry_transition
    (see submit_entry below), which writes the events that timelines read."""

    class Meta:
        model = "submissions.Entry"

    contest = factory.SubFactory(ContestFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(contest=o.contest))
    category = factory.LazyAttribute(lambda o: o.contest.categories.order_by("position").first())
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Giải pháp số hóa hồ sơ một cửa số {n}")
    summary = "Tóm tắt giải pháp."


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Author"

    entry = factory.SubFactory(EntryFactory)
    position = 1
    full_name = factory.Sequence(lambda n: f"Hoàng Thị Tác Giả {n}")
    job_title = "Chuyên viên"
    workplace = "Văn phòng UBND huyện"
    address = "Phường Vĩnh Trại, thành phố Lạng Sơn"
    phone = factory.Sequence(lambda n: f"0912{n:06d}")
    email = factory.Sequence(lambda n: f"tacgia{n}@example.vn")
    is_representative = True
    # As the intake services store it: duplicate checks look authors up by this key.
    name_key = factory.LazyAttribute(lambda o: _name_key(o.full_name))


def _name_key(name: str) -> str:
    from submissions.services import text_key

    return text_key(name)


def submit_entry(entry, *, by=None, code: str | None = None, at=None):
    """Submit a draft through the workflow (as its owner), with a tracking code."""
    from django.utils import timezone

    from submissions.enums import EntryStatus
    from submissions.workflow import entry_transition

    code = code or f"CC25-T{next(_seq):03d}-TEST"
    return entry_transition(
        entry=entry,
        to=EntryStatus.SUBMITTED,
        by=by or entry.owner,
        fields={"tracking_code": code, "holder": entry.unit, "submitted_at": at or timezone.now()},
    )


# --- awards (appended by the awards engineer) ------------------------------------------


def accepted_entry(
    contest,
    *,
    kind: str = "individual",
    authors: int | None = None,
    unit=None,
    title: str | None = None,
    author_names=None,
    submitted_at=None,
):
    """An entry already accepted for judging, written directly (test data for awards, so
    awards tests do not depend on the intake and judging flows)."""
    from django.utils import timezone

    from submissions.enums import EntryStatus

    unit = unit or UnitFactory(contest=contest)
    n = next(_seq)
    entry = EntryFactory(
        contest=contest,
        unit=unit,
        holder=unit,
        kind=kind,
        status=EntryStatus.ACCEPTED,
        tracking_code=f"CC25-A{n:04d}",
        submitted_at=submitted_at or timezone.now(),
        **({"title": title} if title else {}),
    )
    names = list(author_names or [])
    count = authors or len(names) or (1 if kind == "individual" else 3)
    for i in range(count):
        AuthorFactory(
            entry=entry,
            position=i + 1,
            is_representative=i == 0,
            **({"full_name": names[i]} if i < len(names) else {}),
        )
    return entry


def approved_ranking(contest, *, kind: str, rows):
    """An APPROVED judging.Ranking with rows given as (entry, score) or
    (entry, score, tied_with_next), positions in the given order."""
    from decimal import Decimal

    from django.utils import timezone

    from judging.enums import RankingStatus
    from judging.models import Ranking, RankingRow

    ranking = Ranking.objects.create(
        contest=contest,
        kind=kind,
        status=RankingStatus.APPROVED,
        computed_at=timezone.now(),
        approved_at=timezone.now(),
    )
    RankingRow.objects.bulk_create(
        RankingRow(
            ranking=ranking,
            entry=row[0],
            position=i,
            score=Decimal(str(row[1])),
            tied_with_next=bool(row[2]) if len(row) > 2 else False,
        )
        for i, row in enumerate(rows, start=1)
    )
    return ranking


# --- judging (appended by the judging engineer) -----------------------------------------


def judging_contest(**kwargs):
    """A contest in its judging phase whose scoring deadline is still ahead."""
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    defaults = dict(
        phase=ContestPhase.JUDGING,
        intake_opens_at=now - dt.timedelta(days=90),
        forwarding_deadline=now - dt.timedelta(days=10),
        scoring_deadline=now + dt.timedelta(days=20),
        results_deadline=now + dt.timedelta(days=40),
    )
    defaults.update(kwargs)
    return ContestFactory(**defaults)


def judge_user(contest, **kwargs):
    user = UserFactory(**kwargs)
    grant(user, contest, Role.JUDGE)
    return user


def score_all(entry, judge, points, *, submit=True, comment=""):
    """Save (and submit) a judge's written sheet with `points` in rubric order."""
    from contest.enums import ScoringRound
    from judging.models import ScoreSheet
    from judging.services.scoring import rubric_for, sheet_save

    rubric = rubric_for(contest=entry.contest, round=ScoringRound.WRITTEN)
    current = ScoreSheet.objects.filter(entry=entry, judge=judge, round="written").first()
    return sheet_save(
        entry=entry,
        judge=judge,
        by=judge,
        scores={c.pk: p for c, p in zip(rubric, points, strict=True)},
        comment=comment,
        expected_version=current.version if current else 0,
        submit=submit,
    )
