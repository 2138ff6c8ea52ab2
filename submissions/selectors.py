"""Reads for intake. Access helpers answer 404 both for "missing" and for "not yours"."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from contest.enums import ContestPhase, UnitType
from contest.models import Category, Contest, Unit
from contest.selectors import contest_current

from .enums import EntryStatus
from .models import Author, Entry, EntryFile


def contest_for_intake() -> Contest | None:
    """The contest the wizard submits to: the current one while it is open."""
    contest = contest_current()
    return contest if contest is not None and contest.phase == ContestPhase.OPEN else None


def _entry_queryset(*, with_owner: bool = True, details: bool = True) -> QuerySet[Entry]:
    """Entries with what their pages show; `details`: authors and files loaded too."""
    related = ["contest", "category", "unit__parent", "holder"]
    qs = Entry.objects.select_related(*related, *(["owner"] if with_owner else []))
    if details:
        qs = qs.prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("position")),
            Prefetch("files", queryset=EntryFile.objects.order_by("purpose", "uploaded_at", "pk")),
        )
    return qs


def entry_of_owner(*, user, entry_id: int, details: bool = True) -> Entry:
    """The entrant's own entry, with authors and files unless `details` is False (a wizard
    step reads the one it shows); 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    # The owner is the signed-in user: not joined again (every wizard request reads this).
    entry = _entry_queryset(with_owner=False, details=details)
    entry = entry.filter(pk=entry_id, owner=user).first()
    if entry is None:
        raise Http404
    entry.owner = user
    return entry


def entries_of_owner(*, user, contest: Contest) -> list[Entry]:
    return list(
        Entry.objects.filter(owner=user, contest=contest)
        .select_related("unit", "category")
        .order_by("-updated_at")
    )


def entry_for_receipt(*, user, entry_id: int) -> Entry:
    """A submitted entry for its receipt: its owner, or staff and heads of its units."""
    entry = _entry_queryset().filter(pk=entry_id).exclude(status=EntryStatus.DRAFT).first()
    if entry is None or not _may_view(user, entry):
        raise Http404
    return entry


def _may_view(user, entry: Entry) -> bool:
    if not user.is_authenticated:
        return False
    if entry.owner_id == user.pk:
        return True
    units = {entry.unit, entry.holder} - {None}
    if any(user.has_perm("contest.view_unit_entries", unit) for unit in units):
        return True
    return user.has_perm("contest.view_reports", entry.contest)


def entry_file_for_download(*, user, file_id: int) -> EntryFile:
    """A file the user may read: the owner, staff or head of the holding (or receiving)
    unit, the secretariat or organizers of the contest. 404 for anyone else."""
    found = (
        EntryFile.objects.select_related("entry__contest", "entry__unit", "entry__holder")
        .filter(pk=file_id)
        .first()
    )
    if found is None or not _may_view(user, found.entry):
        raise Http404
    return found


def categories_of(*, contest: Contest) -> list[Category]:
    return list(Category.objects.filter(contest=contest).order_by("position"))


# --- the wizard's receiving-unit picker ------------------------------------------------
# A national contest has thousands of units: the picker never lists them all. First a small
# list of groups (the unit types, and "communes of district X"), then the units of one group
# or the result of a search by name, each capped.

UNIT_GROUP_LIMIT = 100
UNIT_SEARCH_LIMIT = 50
COMMUNE_GROUP_PREFIX = "xa-"
TOP_LEVEL_TYPES = (
    UnitType.DEPARTMENT,
    UnitType.DISTRICT,
    UnitType.ORGANISATION,
    UnitType.CENTRAL,
)
# Every Vietnamese form of a base letter, so that "tu phap" finds "Sở Tư pháp" in the
# database without a folded copy of the names.
_LETTER_FORMS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "d": "dđ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
}
_SEARCH_TOKENS = 5


@dataclass(frozen=True)
class UnitGroup:
    key: str
    label: str


@dataclass(frozen=True)
class UnitOption:
    pk: int
    label: str


@dataclass
class UnitPicker:
    groups: list[UnitGroup]
    districts: list[UnitGroup]  # "communes of this district"
    group: str  # the chosen group's key, or ""
    q: str  # the search, or ""
    options: list[UnitOption]
    more: bool  # more units match than are listed
    current: UnitOption | None  # the unit chosen so far, always offered

    @property
    def group_label(self) -> str:
        return next((g.label for g in [*self.groups, *self.districts] if g.key == self.group), "")

    @property
    def current_listed(self) -> bool:
        return self.current is not None and any(o.pk == self.current.pk for o in self.options)


def unit_option(unit: Unit) -> UnitOption:
    """A commune's label names its district: "UBND xã Chi Lăng (UBND huyện Tràng Định)"."""
    if unit.parent_id:
        return UnitOption(pk=unit.pk, label=f"{unit.name} ({unit.parent.name})")
    return UnitOption(pk=unit.pk, label=unit.name)


def unit_group_of(unit: Unit) -> str:
    if unit.unit_type == UnitType.COMMUNE and unit.parent_id:
        return f"{COMMUNE_GROUP_PREFIX}{unit.parent_id}"
    return unit.unit_type


def fold(text: str) -> str:
    """Lower case without diacritics (đ as d): how a typed search is compared."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _token_pattern(token: str) -> str:
    """A regular expression (the same in PostgreSQL and SQLite) matching the folded token
    in any case and with any diacritics."""
    parts = []
    for char in token:
        forms = _LETTER_FORMS.get(char, char)
        parts.append(f"[{forms}{forms.upper()}]" if char.isalpha() else char)
    return "".join(parts)


def unit_picker(
    *, contest: Contest, group: str = "", q: str = "", current: Unit | None = None
) -> UnitPicker:
    """The groups, and the units of the chosen group or search (at most a limit of them).
    Two queries whatever the number of units: the districts (one index range of
    Unit(contest, unit_type, name)) and the listed units, limited in the database."""
    labels = dict(UnitType.choices)
    districts = [
        UnitGroup(
            key=f"{COMMUNE_GROUP_PREFIX}{pk}",
            label=_("Xã, thị trấn thuộc %(district)s") % {"district": name},
        )
        for pk, name in Unit.objects.filter(contest=contest, unit_type=UnitType.DISTRICT)
        .order_by("name", "pk")
        .values_list("pk", "name")
    ]
    groups = [UnitGroup(key=t.value, label=str(labels[t])) for t in TOP_LEVEL_TYPES]
    if not q and not group and current is not None:
        group = unit_group_of(current)
    keys = {g.key for g in [*groups, *districts]}
    group = group if group in keys else ""

    active = Unit.objects.filter(contest=contest, is_active=True).select_related("parent")
    tokens = re.findall(r"[0-9a-z]+", fold(q))[:_SEARCH_TOKENS]
    limit = UNIT_SEARCH_LIMIT
    if tokens:
        found = active
        for token in tokens:
            pattern = _token_pattern(token)
            found = found.filter(Q(name__regex=pattern) | Q(parent__name__regex=pattern))
    elif group.startswith(COMMUNE_GROUP_PREFIX):
        found = active.filter(
            unit_type=UnitType.COMMUNE, parent_id=int(group.removeprefix(COMMUNE_GROUP_PREFIX))
        )
        limit = UNIT_GROUP_LIMIT
    elif group:
        found = active.filter(unit_type=group)
        limit = UNIT_GROUP_LIMIT
    else:
        found = None
    units = list(found.order_by("name", "pk")[: limit + 1]) if found is not None else []
    return UnitPicker(
        groups=groups,
        districts=districts,
        group=group if not tokens else "",
        q=q if tokens else "",
        options=[unit_option(u) for u in units[:limit]],
        more=len(units) > limit,
        current=unit_option(current) if current is not None else None,
    )


def unit_of_contest(*, contest: Contest, unit_id: int | None) -> Unit | None:
    if not unit_id:
        return None
    return Unit.objects.select_related("parent").filter(contest=contest, pk=unit_id).first()


def unit_for_paper_intake(*, user, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("contest", "parent").filter(pk=unit_id).first()
    if unit is None or not user.has_perm("contest.register_paper_entry", unit):
        raise Http404
    return unit


def paper_entry_of_unit(*, unit: Unit, entry_id: int) -> Entry:
    entry = (
        _entry_queryset()
        .filter(pk=entry_id, unit=unit, entered_by_staff__isnull=False, status=EntryStatus.DRAFT)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def paper_drafts_of_unit(*, unit: Unit) -> list[Entry]:
    return list(
        Entry.objects.filter(
            unit=unit, entered_by_staff__isnull=False, status=EntryStatus.DRAFT
        ).order_by("-updated_at")
    )
