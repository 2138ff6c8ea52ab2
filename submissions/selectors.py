"""Reads for intake. Access helpers answer 404 both for "missing" and for "not yours"."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from contest.enums import ContestPhase, UnitType
from contest.models import Category, Contest, Unit
from contest.selectors import contest_current

from .enums import EntryStatus
from .models import Author, Entry, EntryFile


def contest_for_intake() -> Contest | None:
    """The contest the wizard submits to: the current one while it is open."""
    contest = contest_current()
    return contest if contest is not None and contest.phase == ContestPhase.OPEN else None


def _entry_queryset() -> QuerySet[Entry]:
    return Entry.objects.select_related(
        "contest",
        "category",
        "unit__parent",
        "unit__contest",
        "holder",
        "owner",
    ).prefetch_related(
        Prefetch("authors", queryset=Author.objects.order_by("position")),
        Prefetch("files", queryset=EntryFile.objects.order_by("purpose", "uploaded_at", "pk")),
    )


def entry_of_owner(*, user, entry_id: int) -> Entry:
    """The entrant's own entry, with authors and files; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    entry = _entry_queryset().filter(pk=entry_id, owner=user).first()
    if entry is None:
        raise Http404
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


def unit_choices(*, contest: Contest) -> list[tuple[str, list[tuple[int, str]]]]:
    """Receiving units grouped by type, communes grouped by district, for a <select>.
    A commune's label names its district: "UBND xã Chi Lăng (UBND huyện Tràng Định)"."""
    units = list(
        Unit.objects.filter(contest=contest, is_active=True)
        .select_related("parent")
        .order_by("name", "pk")
    )
    labels = dict(UnitType.choices)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for unit_type in (
        UnitType.DEPARTMENT,
        UnitType.DISTRICT,
        UnitType.ORGANISATION,
        UnitType.CENTRAL,
    ):
        members = [(u.pk, u.name) for u in units if u.unit_type == unit_type]
        if members:
            groups.append((str(labels[unit_type]), members))
        if unit_type == UnitType.DISTRICT:
            districts = sorted({u.parent for u in units if u.parent_id}, key=lambda d: d.name)
            for district in districts:
                communes = [
                    (u.pk, f"{u.name} ({district.name})")
                    for u in units
                    if u.parent_id == district.pk
                ]
                groups.append((f"{labels[UnitType.COMMUNE]} – {district.name}", communes))
    return groups


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
