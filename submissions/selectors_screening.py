"""Reads of the receiving units and the secretariat: a unit's entries, one entry with what
every unit recorded about it, the forwarded batches with automatic eligibility warnings."""

import datetime as dt
import re
import string
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from contest.enums import Role
from contest.models import CommitteeMember, Contest, Unit
from contest.selectors import roles_of
from contest.totals import cached_totals

from .enums import EntryKind, FilePurpose
from .enums import EntryStatus as S
from .models import (
    IDEA_TEXTS,
    Appraisal,
    Author,
    Certification,
    Entry,
    EntryFile,
    ForwardingBatch,
    ForwardingChannel,
)
from .quotas import compliance_totals_key

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


# What a unit's list shows of an entry. The names of the other units (the commune it came
# from, the district that holds it now) are subqueries, which PostgreSQL evaluates for the
# page's rows only, after the sort; joined, it hashed every unit of the contest.
_UNIT_LIST_FIELDS = (
    "id",
    "tracking_code",
    "title",
    "kind",
    "status",
    "submitted_at",
    "unit_id",
    "holder_id",
    "category__code",
    "category__position",
)


def _unit_name(field: str) -> Subquery:
    return Subquery(Unit.objects.filter(pk=OuterRef(field)).values("name")[:1])


def unit_entries(*, unit: Unit, filters: EntryFilters) -> QuerySet:
    """The unit's entries for its list, each with `came_from` and `held_by` (unit names)."""
    qs = (
        _unit_scope(unit)
        .select_related("category")
        .only(*_UNIT_LIST_FIELDS)
        .annotate(came_from=_unit_name("unit_id"), held_by=_unit_name("holder_id"))
    )
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


# The combining marks of Vietnamese (U+0300–U+036F, but for the grapheme joiner, which is
# not one) and the bytes that stay in a key: text_key's fast path for the usual title.
_VIETNAMESE_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]+"
)
_ASCII_KEY = bytes(
    b if chr(b) in string.digits + string.ascii_lowercase else 32 for b in range(256)
)
_NOT_KEY = re.compile(r"[^0-9a-z]+")


def text_key(value: str) -> str:
    """Lower case, no diacritics, words separated by one space: for matching names and
    titles typed differently."""
    value = unicodedata.normalize("NFD", (value or "").replace("đ", "d").replace("Đ", "D"))
    value = _VIETNAMESE_MARKS.sub("", value)
    if value.isascii():  # Vietnamese once its marks are gone: byte-wise, several times faster
        return " ".join(value.lower().encode().translate(_ASCII_KEY).decode().split())
    value = "".join(c for c in value if not unicodedata.combining(c))
    return _NOT_KEY.sub(" ", value.casefold()).strip()


INTAKE_STATUSES = [S.FORWARDED, S.ACCEPTED, S.INELIGIBLE]
# Entries per intake page: each comes with its authors, warnings and two forms, and the
# duplicate check reads every namesake of its authors in the contest.
INTAKE_PAGE_SIZE = 20
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
    """Forwarded entries of the contest, filtered and ordered, ready for one page (with
    what the intake shows and checks, not the idea's long texts)."""
    qs = Entry.objects.filter(contest=contest, forwarding_batch__isnull=False)
    if filters.status != ALL:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.q:
        qs = qs.filter(Q(tracking_code__icontains=filters.q) | Q(title__icontains=filters.q))
    return (
        qs.select_related("category", "unit", "forwarding_batch__unit")
        .defer(*IDEA_TEXTS)  # the idea's long texts: neither shown nor checked here
        .prefetch_related(Prefetch("authors", queryset=Author.objects.order_by("position")))
        .order_by(*INTAKE_SORTS[filters.sort])
    )


def _intake_totals_key(contest_id: int) -> str:
    return f"secretariat:intake:{contest_id}"


def secretariat_totals_changed(*, contest_id: int) -> None:
    """Once the current transaction commits, drop the contest's cached intake counts and
    compliance board (after an entry is accepted or returned, a batch forwarded, an entry
    selected or an explanation filed), so that the secretariat sees it at once."""
    keys = [_intake_totals_key(contest_id), compliance_totals_key(contest_id)]
    transaction.on_commit(lambda: cache.delete_many(keys))


@dataclass(frozen=True)
class IntakeCounts:
    statuses: list[tuple[str, str, int]]  # (status, label, how many)
    computed_at: dt.datetime


def intake_status_counts(*, contest: Contest) -> IntakeCounts:
    """How many forwarded entries wait, were accepted, were returned: one aggregate over
    the contest, kept for PORTAL_TOTALS_CACHE_SECONDS (forgotten by
    secretariat_totals_changed)."""

    def compute() -> dict:
        # COUNT(*): answered from the (contest, status, forwarding_batch) index alone.
        rows = (
            Entry.objects.filter(contest=contest, forwarding_batch__isnull=False)
            .order_by()
            .values_list("status")
            .annotate(n=Count("*"))
        )
        return {"counts": dict(rows)}

    found = cached_totals(_intake_totals_key(contest.pk), compute)
    counts = found["counts"]
    return IntakeCounts(
        statuses=[(s.value, s.label, counts.get(s.value, 0)) for s in INTAKE_STATUSES],
        computed_at=found["computed_at"],
    )


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
    channel_label: str = ""


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
    # Looked up once (Model.get_FOO_display translates every choice at each call)
    channels = dict(ForwardingChannel.choices)
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
                    channel_label=channels.get(entry.forwarding_batch.channel, ""),
                )
            )
        groups[-1].entries.append(IntakeEntry(entry=entry, warnings=warnings.get(entry.pk, [])))
    return groups


def eligibility_warnings(*, contest: Contest, entries: list[Entry]) -> dict[int, list[str]]:
    """Automatic warnings for the secretariat; `entries` have their authors loaded. Three
    queries whatever the number of entries."""
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

    for entry_id, duplicates in _possible_duplicates(contest=contest, entries=entries).items():
        for code, unit_name in duplicates:
            warnings[entry_id].append(
                _("Có thể trùng bài %(code)s gửi qua %(unit)s (cùng tên bài, cùng tác giả).")
                % {"code": code, "unit": unit_name}
            )

    # One query by the page's entries (an EXISTS per entry is planned as a scan of every
    # revision file of the contest).
    revised = set(
        EntryFile.objects.filter(entry_id__in=[e.pk for e in entries], purpose=FilePurpose.REVISION)
        .order_by()
        .values_list("entry_id", flat=True)
    )
    for entry in entries:
        if entry.competed_before and not (
            entry.revision_explanation.strip() or entry.pk in revised
        ):
            warnings[entry.pk].append(
                _("Bài đã dự thi cuộc thi khác nhưng thiếu giải trình nội dung chỉnh sửa.")
            )
    return warnings


def _possible_duplicates(
    *, contest: Contest, entries: list[Entry]
) -> dict[int, list[tuple[str, str]]]:
    """The same entry through two units: another active entry of the contest, received by
    another unit, with an author in common and the same title once case, spacing and
    diacritics are ignored; (code, unit name) of each, by code. One query: the authors of
    the contest who share a name with an author shown (through Author.name_key's index), so
    the cost follows the entries shown, not the contest."""
    keys = {a.name_key for e in entries for a in e.authors.all() if a.name_key}
    namesakes = (
        Author.objects.filter(name_key__in=keys, entry__contest=contest)
        .exclude(entry__status__in=[S.DRAFT, S.WITHDRAWN])
        .order_by()
        .values_list(
            "name_key",
            "entry_id",
            "entry__unit_id",
            "entry__title",
            "entry__tracking_code",
            "entry__unit__name",
        )
        if keys
        else []
    )
    by_name: dict[str, list[tuple]] = {}
    for name_key, *other in namesakes:
        by_name.setdefault(name_key, []).append(other)
    title_keys: dict[str, str] = {}  # a title's key once, however many entries it is a namesake of
    found: dict[int, list[tuple[str, str]]] = {}
    for entry in entries:
        title = text_key(entry.title)
        if not title:
            continue
        seen: set[int] = {entry.pk}
        for name_key in {a.name_key for a in entry.authors.all() if a.name_key}:
            for other_id, unit_id, other_title, code, unit_name in by_name.get(name_key, ()):
                if other_id in seen:
                    continue
                seen.add(other_id)
                if unit_id == entry.unit_id:
                    continue
                if other_title not in title_keys:
                    title_keys[other_title] = text_key(other_title)
                if title_keys[other_title] == title:
                    found.setdefault(entry.pk, []).append((code or "", unit_name or ""))
        if entry.pk in found:
            found[entry.pk].sort()
    return found
