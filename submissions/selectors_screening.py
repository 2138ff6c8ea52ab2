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


INTAKE_STATUSES = [S.FORWARDED, S.ACCEPTED, S.INELIGIBLE]
ALL = "all"
# Newest dispatch first (or oldest), the entries of one dispatch by code. The ordered index
# scans are Entry's (contest, status, forwarding_batch) and (contest, forwarding_batch).
INTAKE_SORTS = {
    "-batch": ("-forwarding_batch_id", "tracking_code"),
    "batch": ("forwarding_batch_id", "tracking_code"),
}


@dataclass(frozen=True)
class IntakeFilters:
    status: str = S.FORWARDED  # ALL: every forwarded entry, whatever the secretariat decided
    category: int | None = None
    q: str = ""
    sort: str = "-batch"

    @classmethod
    def from_params(cls, params, *, category_ids: set[int]) -> "IntakeFilters":
        """Read GET parameters; anything unknown or malformed falls back to the default
        (the entries still waiting for a decision). `all=1` is the older link to all."""
        status = params.get("status", "")
        if params.get("all") == "1" and not status:
            status = ALL
        category_raw = params.get("category", "")
        category = int(category_raw) if category_raw.isdigit() else None
        sort = params.get("sort", "")
        return cls(
            status=status if status in (*INTAKE_STATUSES, ALL) else S.FORWARDED,
            category=category if category in category_ids else None,
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in INTAKE_SORTS else "-batch",
        )


def intake_entries(*, contest: Contest, filters: IntakeFilters) -> QuerySet:
    """Forwarded entries of the contest, filtered and ordered, ready for one page."""
    qs = Entry.objects.filter(contest=contest, forwarding_batch__isnull=False)
    if filters.status != ALL:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.q:
        qs = qs.filter(Q(tracking_code__icontains=filters.q) | Q(title__icontains=filters.q))
    return (
        qs.select_related("category", "unit", "forwarding_batch__unit")
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("position")),
            "files",
        )
        .order_by(*INTAKE_SORTS[filters.sort])
    )


def intake_status_counts(*, contest: Contest) -> list[tuple[str, str, int]]:
    """How many forwarded entries wait, were accepted, were returned: one aggregate."""
    counts = dict(
        Entry.objects.filter(contest=contest, forwarding_batch__isnull=False)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in INTAKE_STATUSES]


@dataclass
class IntakeEntry:
    entry: Entry
    warnings: list[str] = field(default_factory=list)


@dataclass
class IntakeBatch:
    """One dispatch and those of its entries that are on the page."""

    batch: ForwardingBatch
    entries: list[IntakeEntry]
    total: int = 0  # entries of the whole dispatch
    pending: int = 0  # of which still waiting for the secretariat


def intake_page_batches(*, contest: Contest, entries: list[Entry]) -> list[IntakeBatch]:
    """The page's entries (ordered by dispatch) grouped under their dispatch, each with its
    automatic warnings and the dispatch's totals. A fixed number of queries per page."""
    warnings = eligibility_warnings(contest=contest, entries=entries)
    batch_ids = {e.forwarding_batch_id for e in entries}
    totals = {
        row["forwarding_batch_id"]: row
        for row in Entry.objects.filter(forwarding_batch_id__in=batch_ids)
        .order_by()
        .values("forwarding_batch_id")
        .annotate(total=Count("pk"), pending=Count("pk", filter=Q(status=S.FORWARDED)))
    }
    groups: list[IntakeBatch] = []
    for entry in entries:
        if not groups or groups[-1].batch.pk != entry.forwarding_batch_id:
            row = totals.get(entry.forwarding_batch_id, {})
            groups.append(
                IntakeBatch(
                    batch=entry.forwarding_batch,
                    entries=[],
                    total=row.get("total", 0),
                    pending=row.get("pending", 0),
                )
            )
        groups[-1].entries.append(IntakeEntry(entry=entry, warnings=warnings.get(entry.pk, [])))
    return groups


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

    # The same entry through two units: an author in common and the same title once case,
    # spacing and diacritics are ignored. Candidates are found through the authors' name
    # index (Author.name_key), so the cost follows the entries shown, not the contest.
    keys = {a.name_key for e in entries for a in e.authors.all() if a.name_key}
    others = (
        list(
            Entry.objects.filter(contest=contest, authors__name_key__in=keys)
            .exclude(status__in=[S.DRAFT, S.WITHDRAWN])
            .distinct()
            .select_related("unit")
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.only("entry_id", "name_key"))
            )
            .only("pk", "title", "unit_id", "unit__name", "tracking_code")
        )
        if keys
        else []
    )
    # Each candidate's title key once, grouped by it: common names can bring thousands.
    by_title: dict[str, list[tuple[Entry, set[str]]]] = {}
    for other in others:
        by_title.setdefault(text_key(other.title), []).append(
            (other, {a.name_key for a in other.authors.all()})
        )
    for entry in entries:
        mine = {a.name_key for a in entry.authors.all() if a.name_key}
        title = text_key(entry.title)
        for other, their_keys in by_title.get(title, []) if title else []:
            if other.pk != entry.pk and other.unit_id != entry.unit_id and mine & their_keys:
                warnings[entry.pk].append(
                    _("Có thể trùng bài %(code)s gửi qua %(unit)s (cùng tên bài, cùng tác giả).")
                    % {
                        "code": other.tracking_code or "",
                        "unit": other.unit.name if other.unit_id else "",
                    }
                )

    for entry in entries:
        has_revision_file = any(f.purpose == FilePurpose.REVISION for f in entry.files.all())
        if entry.competed_before and not (entry.revision_explanation.strip() or has_revision_file):
            warnings[entry.pk].append(
                _("Bài đã dự thi cuộc thi khác nhưng thiếu giải trình nội dung chỉnh sửa.")
            )
    return warnings
