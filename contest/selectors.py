"""Reads about the contest: the current contest, its prize table, a user's roles."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ContestPhase, Role, UnitType
from .models import Contest, PrizeTier, Unit


def contest_current() -> Contest | None:
    """The contest the public pages show: the newest one that is not a draft or archived."""
    return (
        Contest.objects.exclude(phase__in=[ContestPhase.DRAFT, ContestPhase.ARCHIVED])
        .order_by("-year", "-intake_opens_at")
        .first()
    )


def contest_for_landing(slug: str | None = None) -> Contest | None:
    qs = Contest.objects.exclude(phase=ContestPhase.DRAFT).prefetch_related(
        "categories",
        Prefetch("prize_tiers", queryset=PrizeTier.objects.order_by("rank")),
        "criteria",
        "quota_rules",
    )
    if slug:
        return qs.filter(slug=slug).first()
    current = contest_current()
    return qs.filter(pk=current.pk).first() if current else None


def unit_intake_deadline(unit: Unit) -> dt.datetime:
    """The instant before which an entrant must submit to this unit: the unit's own deadline
    when it set one, never later than the contest's forwarding deadline (Unit.clean refuses a
    later one; this read holds the rule even for rows written around the form)."""
    forwarding = unit.contest.forwarding_deadline
    if unit.intake_deadline is None:
        return forwarding
    return min(unit.intake_deadline, forwarding)


def contest_accepts_entries(*, contest: Contest, at: dt.datetime | None = None) -> bool:
    """Whether the public call for entries is on: the contest is open and the instant lies
    between the opening of intake and the forwarding deadline."""
    now = at or timezone.now()
    return (
        contest.phase == ContestPhase.OPEN
        and contest.intake_opens_at <= now < contest.forwarding_deadline
    )


@dataclass(frozen=True)
class TimelineStep:
    label: str
    at: dt.datetime
    kind: str  # "from": the step starts at the instant; "before": done strictly before it
    passed: bool


def contest_timeline(*, contest: Contest, at: dt.datetime | None = None) -> list[TimelineStep]:
    now = at or timezone.now()
    steps = [
        (_("Bắt đầu nhận bài dự thi"), contest.intake_opens_at, "from"),
        (
            _("Các cơ quan, đơn vị gửi bài đã chọn về Ban Tổ chức"),
            contest.forwarding_deadline,
            "before",
        ),
        (_("Ban Tổ chức hoàn thành chấm thi"), contest.scoring_deadline, "before"),
        (_("Công bố kết quả và trao giải"), contest.results_deadline, "before"),
    ]
    return [
        TimelineStep(label=str(label), at=instant, kind=kind, passed=now >= instant)
        for label, instant, kind in steps
    ]


@dataclass(frozen=True)
class UnitTypeLine:
    unit_type: str
    label: str
    unit_count: int
    minimum: int
    mandatory: bool


def unit_type_summary(*, contest: Contest) -> list[UnitTypeLine]:
    """Receiving units per type with the type's forwarding quota: one query for the counts
    (quota rules come prefetched by contest_for_landing, or in one more query)."""
    counts = dict(
        contest.units.filter(is_active=True)
        .order_by()
        .values("unit_type")
        .annotate(n=Count("id"))
        .values_list("unit_type", "n")
    )
    quotas = {q.unit_type: q for q in contest.quota_rules.all()}
    lines = []
    for value, label in UnitType.choices:
        quota = quotas.get(value)
        if not counts.get(value) and quota is None:
            continue
        lines.append(
            UnitTypeLine(
                unit_type=value,
                label=str(label),
                unit_count=counts.get(value, 0),
                minimum=quota.minimum if quota else 0,
                mandatory=quota.mandatory if quota else False,
            )
        )
    return lines


@dataclass(frozen=True)
class PrizeLine:
    name: str
    individual_count: int
    group_count: int
    individual_amount: int
    group_amount: int
    merit_certificate: bool


@dataclass(frozen=True)
class PrizeTable:
    lines: list[PrizeLine]
    individual_total: int
    group_total: int

    @property
    def total(self) -> int:
        return self.individual_total + self.group_total

    @property
    def prize_count(self) -> int:
        return sum(line.individual_count + line.group_count for line in self.lines)


def prize_table(*, contest: Contest) -> PrizeTable:
    """Every amount is derived from the tiers and the group multiplier, never typed twice."""
    lines = [
        PrizeLine(
            name=tier.name,
            individual_count=tier.individual_count,
            group_count=tier.group_count,
            individual_amount=tier.individual_amount,
            group_amount=contest.prize_amount(tier.individual_amount, group=True),
            merit_certificate=tier.merit_certificate,
        )
        for tier in sorted(contest.prize_tiers.all(), key=lambda t: t.rank)
    ]
    return PrizeTable(
        lines=lines,
        individual_total=sum(line.individual_count * line.individual_amount for line in lines),
        group_total=sum(line.group_count * line.group_amount for line in lines),
    )


@dataclass(frozen=True)
class RoleSet:
    """The roles one user holds, loaded once per request and reused by every check."""

    grants: frozenset[tuple[int, str, int | None]]

    def has(self, contest_id: int, role: str, unit_id: int | None = None) -> bool:
        return (contest_id, role, unit_id) in self.grants

    def units(self, contest_id: int, role: str) -> set[int]:
        return {u for (c, r, u) in self.grants if c == contest_id and r == role and u}

    def contests(self, role: str) -> set[int]:
        return {c for (c, r, _u) in self.grants if r == role}

    def any_role(self) -> bool:
        return bool(self.grants)


def roles_of(user) -> RoleSet:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RoleSet(frozenset())
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = RoleSet(
            frozenset(user.role_assignments.values_list("contest_id", "role", "unit_id"))
        )
        user._portal_roles = cached
    return cached


def role_labels(user) -> list[str]:
    roles = {r for (_c, r, _u) in roles_of(user).grants}
    return [label for value, label in Role.choices if value in roles]
