"""Reads about the contest: the current contest, its prize table, a user's roles."""

from dataclasses import dataclass

from django.db.models import Prefetch

from .enums import ContestPhase, Role
from .models import Contest, PrizeTier


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
    )
    if slug:
        return qs.filter(slug=slug).first()
    current = contest_current()
    return qs.filter(pk=current.pk).first() if current else None


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
