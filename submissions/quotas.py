"""Quota reads: how many entries each unit received, selected and forwarded against its
minimum, and whether it complies. Communes are not rows of their own: what a commune passes
up is held, selected and forwarded by its district, so it counts for the district (and a
district's "received" includes what its communes received). Every count is one annotated
query, whatever the number of units or entries. The secretariat's board keeps its rows for
PORTAL_TOTALS_CACHE_SECONDS (contest/totals.py) and says when they were counted."""

import datetime as dt
from dataclasses import astuple, dataclass

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contest.enums import UnitType
from contest.models import Contest, QuotaRule, Unit
from contest.totals import cached_totals

from .enums import EntryStatus as S
from .models import Entry, ExplanationLetter

SELECTED_OR_LATER = frozenset({S.SELECTED, S.CERTIFIED, S.FORWARDED, S.ACCEPTED, S.INELIGIBLE})


class ComplianceStatus(models.TextChoices):
    MET = "met", _("Đạt chỉ tiêu")
    EXPLAINED = "explained", _("Chưa đủ, đã có văn bản giải trình")
    MISSING = "missing", _("Chưa đủ, chưa có văn bản giải trình")
    ENCOURAGED = "encouraged", _("Khuyến khích, chưa gửi đủ")


@dataclass(frozen=True)
class ComplianceRow:
    unit_id: int
    name: str
    unit_type: str
    minimum: int
    mandatory: bool
    received: int
    selected: int
    forwarded: int
    explanation_letter_id: int | None = None

    @property
    def explanation_filed(self) -> bool:
        return self.explanation_letter_id is not None

    @property
    def unit_type_label(self) -> str:
        return str(UnitType(self.unit_type).label)

    @property
    def short_by(self) -> int:
        return max(self.minimum - self.forwarded, 0)

    @property
    def status(self) -> str:
        if self.forwarded >= self.minimum:
            return ComplianceStatus.MET
        if not self.mandatory:
            return ComplianceStatus.ENCOURAGED
        if self.explanation_filed:
            return ComplianceStatus.EXPLAINED
        return ComplianceStatus.MISSING

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.status).label)


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) as an annotation (every row is in one contest)."""
    # COUNT(*), not COUNT(id): the count is then answered from the covering indexes alone.
    counted = queryset.order_by().values("contest_id").annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def _annotated_units(contest_id: int):
    entries = Entry.objects.filter(contest_id=contest_id)
    return (
        Unit.objects.filter(contest_id=contest_id)
        .exclude(unit_type=UnitType.COMMUNE)
        .annotate(
            # Two counts, not one with OR: each uses an index (unit_id; the unit's parent),
            # where "unit = X OR unit's parent = X" scanned every entry once per unit.
            n_received=_count(entries.exclude(status=S.DRAFT).filter(unit_id=OuterRef("pk")))
            + _count(entries.exclude(status=S.DRAFT).filter(unit__parent_id=OuterRef("pk"))),
            n_selected=_count(
                entries.filter(holder_id=OuterRef("pk"), status__in=SELECTED_OR_LATER)
            ),
            n_forwarded=_count(entries.filter(forwarding_batch__unit_id=OuterRef("pk"))),
            latest_letter=Subquery(
                ExplanationLetter.objects.filter(unit_id=OuterRef("pk"))
                .order_by("-at", "-pk")
                .values("pk")[:1]
            ),
        )
        .order_by("unit_type", "name")
    )


def _row(unit: Unit, rules: dict[str, QuotaRule]) -> ComplianceRow:
    rule = rules.get(unit.unit_type)
    return ComplianceRow(
        unit_id=unit.pk,
        name=unit.name,
        unit_type=unit.unit_type,
        minimum=rule.minimum if rule else 0,
        mandatory=rule.mandatory if rule else False,
        received=unit.n_received,
        selected=unit.n_selected,
        forwarded=unit.n_forwarded,
        explanation_letter_id=unit.latest_letter,
    )


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "type": lambda r: (r.unit_type, r.name.casefold()),
    "minimum": lambda r: (r.minimum, r.name.casefold()),
    "received": lambda r: (r.received, r.name.casefold()),
    "selected": lambda r: (r.selected, r.name.casefold()),
    "forwarded": lambda r: (r.forwarded, r.name.casefold()),
    "status": lambda r: (list(ComplianceStatus.values).index(r.status), r.name.casefold()),
}
BOARD_UNIT_TYPES = [t for t in UnitType if t != UnitType.COMMUNE]


def _board_rows(contest: Contest) -> list[ComplianceRow]:
    """Every row of the board, counted now, by unit type and name. Two queries."""
    rules = {r.unit_type: r for r in QuotaRule.objects.filter(contest=contest)}
    return [_row(u, rules) for u in _annotated_units(contest.pk)]


def _filter_and_sort(
    rows: list[ComplianceRow], *, unit_type: str, status: str, sort: str
) -> list[ComplianceRow]:
    """The rows the board's filters keep, in its sort order. Unknown values are ignored."""
    if unit_type in BOARD_UNIT_TYPES:
        rows = [r for r in rows if r.unit_type == unit_type]
    if status in ComplianceStatus.values:
        rows = [r for r in rows if r.status == status]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.removeprefix("-"))
    if key is not None:
        rows = sorted(rows, key=key, reverse=descending)
    return rows


def compliance_rows(
    *, contest: Contest, unit_type: str = "", status: str = "", sort: str = ""
) -> list[ComplianceRow]:
    """The secretariat's compliance board counted now (the XLSX export, the reminders).
    Unknown filter or sort values are ignored."""
    return _filter_and_sort(_board_rows(contest), unit_type=unit_type, status=status, sort=sort)


def compliance_totals_key(contest_id: int) -> str:
    return f"secretariat:compliance:{contest_id}"


@dataclass(frozen=True)
class ComplianceBoard:
    rows: list[ComplianceRow]  # filtered and sorted
    summary: list[tuple[str, str, int]]  # (status, label, how many of `rows`)
    computed_at: dt.datetime


def secretariat_compliance_board(
    *, contest: Contest, unit_type: str = "", status: str = "", sort: str = ""
) -> ComplianceBoard:
    """The board page: the rows as counted at most PORTAL_TOTALS_CACHE_SECONDS ago (every
    unit's counts are contest-wide aggregates; forwarding, selecting and filing an
    explanation forget them: selectors_screening.secretariat_totals_changed), filtered and
    sorted like compliance_rows, with the number of rows in each status."""
    found = cached_totals(
        compliance_totals_key(contest.pk),
        lambda: {"rows": [astuple(r) for r in _board_rows(contest)]},
    )
    rows = _filter_and_sort(
        [ComplianceRow(*values) for values in found["rows"]],
        unit_type=unit_type,
        status=status,
        sort=sort,
    )
    counts = dict.fromkeys(ComplianceStatus.values, 0)
    for row in rows:
        counts[row.status] += 1
    return ComplianceBoard(
        rows=rows,
        summary=[(value, label, counts[value]) for value, label in ComplianceStatus.choices],
        computed_at=found["computed_at"],
    )


def unit_quota_progress(*, unit: Unit) -> ComplianceRow | None:
    """The unit's own line of the board; None for a commune (it counts for its district)."""
    if unit.unit_type == UnitType.COMMUNE:
        return None
    rules = {
        r.unit_type: r
        for r in QuotaRule.objects.filter(contest_id=unit.contest_id, unit_type=unit.unit_type)
    }
    annotated = _annotated_units(unit.contest_id).get(pk=unit.pk)
    return _row(annotated, rules)


def units_short_of_quota(*, contest: Contest) -> list[ComplianceRow]:
    """Units that should still forward entries (mandatory or encouraged)."""
    return [r for r in compliance_rows(contest=contest) if r.forwarded < r.minimum]
