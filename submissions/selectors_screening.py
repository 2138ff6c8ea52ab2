"""Reads of the receiving units and the secretariat: a unit's entries, one entry with what
every unit recorded about it, the forwarded batches with automatic eligibility warnings."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from contest.enums import Role
from contest.models import CommitteeMember, Contest, Unit
from contest.selectors import roles_of

from .enums import EntryKind, FilePurpose
from .enums import EntryStatus as S
from .models import Appraisal, Author, Certification, Entry, ForwardingBatch

VISIBLE_STATUSES = [s for s in S if s != S.DRAFT]
SORTS = {
    "date": ("submitted_at", "pk"),
    "status": ("status", "-submitted_at"),
    "category": ("category__position", "-submitted_at"),
    "kind": ("kind", "-submitted_at"),
    "title": ("title", "pk"),
}


def units_of_user(*, user) -> QuerySet:
    """The units this user works for (staff or head), across contests."""
    grants = roles_of(user).grants
    ids = {u for (_c, r, u) in grants if r in (Role.UNIT_STAFF, Role.UNIT_HEAD) and u}
    return (
        Unit.objects.filter(pk__in=ids)
        .select_related("contest", "parent")
        .order_by("contest__year", "name")
    )


def contests_of_secretariat(*, user) -> QuerySet:
    roles = roles_of(user)
    ids = roles.contests(Role.SECRETARIAT) | roles.contests(Role.ORGANIZER)
    return Contest.objects.filter(pk__in=ids)


@dataclass(frozen=True)
class EntryFilters:
    status: str = ""
    category: int | None = None
    kind: str = ""
    q: str = ""
    sort: str = "-date"

    @classmethod
    def from_params(cls, params, *, category_ids: set[int]) -> "EntryFilters":
        """Read GET parameters; anything unknown or malformed is ignored."""
        status = params.get("status", "")
        kind = params.get("kind", "")
        category_raw = params.get("category", "")
        category = int(category_raw) if category_raw.isdigit() else None
        sort = params.get("sort", "-date")
        return cls(
            status=status if status in VISIBLE_STATUSES else "",
            category=category if category in category_ids else None,
            kind=kind if kind in EntryKind.values else "",
            q=params.get("q", "").strip()[:100],
            sort=sort if sort.removeprefix("-") in SORTS else "-date",
        )


def _unit_scope(unit: Unit) -> QuerySet:
    """Entries a unit deals with: those it holds (a district holds what its communes
    passed up) and those it received (a commune keeps seeing what it passed up)."""
    return (
        Entry.objects.filter(contest_id=unit.contest_id)
        .exclude(status=S.DRAFT)
        .filter(Q(holder_id=unit.pk) | Q(unit_id=unit.pk))
    )


def unit_entries(*, unit: Unit, filters: EntryFilters) -> QuerySet:
    qs = _unit_scope(unit).select_related("category", "unit", "holder")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(tracking_code__icontains=filters.q))
    fields = SORTS[filters.sort.removeprefix("-")]
    if filters.sort.startswith("-"):
        fields = (f"-{fields[0]}", *fields[1:])
    return qs.order_by(*fields)


def unit_status_counts(*, unit: Unit) -> list[tuple[str, str, int]]:
    counts = dict(_unit_scope(unit).order_by().values_list("status").annotate(n=Count("pk")))
    return [(s.value, s.label, counts.get(s.value, 0)) for s in VISIBLE_STATUSES]


def unit_entry(*, unit: Unit, entry_id: int) -> Entry | None:
    """One entry of this unit with everything its page shows; None if not the unit's."""
    return (
        _unit_scope(unit)
        .filter(pk=entry_id)
        .select_related(
            "category", "unit__parent", "holder", "contest", "owner", "forwarding_batch"
        )
        .prefetch_related(
            "authors",
            "files",
            Prefetch("appraisals", queryset=Appraisal.objects.select_related("unit")),
            Prefetch(
                "certifications", queryset=Certification.objects.select_related("unit", "head")
            ),
        )
        .first()
    )


def certified_entries_to_forward(*, unit: Unit) -> QuerySet:
    return (
        Entry.objects.filter(contest_id=unit.contest_id, holder_id=unit.pk, status=S.CERTIFIED)
        .select_related("category")
        .prefetch_related("authors")
        .order_by("tracking_code")
    )


def unit_batches(*, unit: Unit) -> QuerySet:
    return (
        ForwardingBatch.objects.filter(unit_id=unit.pk)
        .annotate(n_entries=Count("entries"))
        .order_by("-forwarded_at")
    )


# --- The secretariat's intake ----------------------------------------------------------


def text_key(value: str) -> str:
    """Lower case, no diacritics, words separated by one space: for matching names and
    titles typed differently."""
    value = (value or "").replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", value.casefold()).strip()


@dataclass
class IntakeEntry:
    entry: Entry
    warnings: list[str] = field(default_factory=list)


@dataclass
class IntakeBatch:
    batch: ForwardingBatch
    entries: list[IntakeEntry]

    @property
    def pending(self) -> int:
        return sum(1 for item in self.entries if item.entry.status == S.FORWARDED)


def intake_batches(*, contest: Contest, pending_only: bool = False) -> list[IntakeBatch]:
    """Forwarded batches, newest first, each entry with its automatic warnings. A fixed
    number of queries whatever the number of batches and entries."""
    batches = list(
        ForwardingBatch.objects.filter(contest=contest)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.select_related("category", "unit")
                .prefetch_related("authors", "files")
                .order_by("tracking_code"),
            )
        )
        .order_by("-forwarded_at", "-pk")
    )
    entries = [e for b in batches for e in b.entries.all()]
    warnings = eligibility_warnings(contest=contest, entries=entries)
    result = [
        IntakeBatch(
            batch=b,
            entries=[
                IntakeEntry(entry=e, warnings=warnings.get(e.pk, [])) for e in b.entries.all()
            ],
        )
        for b in batches
    ]
    if pending_only:
        result = [b for b in result if b.pending]
    return result


def eligibility_warnings(*, contest: Contest, entries: list[Entry]) -> dict[int, list[str]]:
    """Automatic warnings for the secretariat; `entries` have authors and files loaded."""
    warnings: dict[int, list[str]] = {e.pk: [] for e in entries}
    if not entries:
        return warnings

    members = list(
        CommitteeMember.objects.filter(contest=contest).values_list("full_name", "email", "user_id")
    )
    member_names = {text_key(n): n for n, _e, _u in members if n}
    member_emails = {e.casefold(): n for n, e, _u in members if e}
    member_users = {u: n for n, _e, u in members if u}

    for entry in entries:
        for author in entry.authors.all():
            member = (
                (member_users.get(author.user_id) if author.user_id else None)
                or (member_emails.get(author.email.casefold()) if author.email else None)
                or member_names.get(text_key(author.full_name))
            )
            if member:
                warnings[entry.pk].append(
                    _(
                        "Tác giả %(author)s trùng với thành viên Ban Tổ chức, Ban Giám khảo "
                        "hoặc Tổ giúp việc: %(member)s."
                    )
                    % {"author": author.full_name, "member": member}
                )

    # The same entry through two units: same normalised title and an author in common.
    by_title: dict[str, list[tuple[int, int | None, str]]] = {}
    for pk, title, unit_id, code in (
        Entry.objects.filter(contest=contest)
        .exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .values_list("pk", "title", "unit_id", "tracking_code")
    ):
        key = text_key(title)
        if key:
            by_title.setdefault(key, []).append((pk, unit_id, code or ""))
    candidates: dict[int, list[tuple[int, int | None, str]]] = {}
    for entry in entries:
        same = [
            row
            for row in by_title.get(text_key(entry.title), [])
            if row[0] != entry.pk and row[1] != entry.unit_id
        ]
        if same:
            candidates[entry.pk] = same
    if candidates:
        other_ids = {row[0] for rows in candidates.values() for row in rows}
        names_of: dict[int, set[str]] = {}
        for entry_id, name in Author.objects.filter(entry_id__in=other_ids).values_list(
            "entry_id", "full_name"
        ):
            names_of.setdefault(entry_id, set()).add(text_key(name))
        unit_names = dict(
            Unit.objects.filter(
                pk__in={row[1] for rows in candidates.values() for row in rows if row[1]}
            ).values_list("pk", "name")
        )
        for entry in entries:
            mine = {text_key(a.full_name) for a in entry.authors.all()}
            for other_id, unit_id, code in candidates.get(entry.pk, []):
                if mine & names_of.get(other_id, set()):
                    warnings[entry.pk].append(
                        _(
                            "Có thể trùng bài %(code)s gửi qua %(unit)s (cùng tên bài, cùng "
                            "tác giả)."
                        )
                        % {"code": code, "unit": unit_names.get(unit_id, "")}
                    )

    for entry in entries:
        has_revision_file = any(f.purpose == FilePurpose.REVISION for f in entry.files.all())
        if entry.competed_before and not (entry.revision_explanation.strip() or has_revision_file):
            warnings[entry.pk].append(
                _("Bài đã dự thi cuộc thi khác nhưng thiếu giải trình nội dung chỉnh sửa.")
            )
    return warnings
