"""Reads for a user's own pages."""

from dataclasses import dataclass

from django.db.models import Q

from submissions.models import Author, Entry
from submissions.timeline import TimelineStep, entry_timeline, events_by_entry


@dataclass(frozen=True)
class OwnEntry:
    entry: Entry
    steps: list[TimelineStep]


def entries_of_user(*, user) -> list[OwnEntry]:
    """The user's entries (owned, or authored with this account) with their timelines, in
    a fixed number of queries however many there are."""
    entries = list(
        Entry.objects.filter(
            Q(owner=user) | Q(pk__in=Author.objects.filter(user=user).values("entry_id"))
        )
        .select_related("contest", "unit", "unit__parent", "holder", "category")
        .order_by("-created_at", "-pk")
    )
    events = events_by_entry(entry_ids=[e.pk for e in entries])
    return [
        OwnEntry(entry=e, steps=entry_timeline(entry=e, events=events[e.pk], with_reasons=True))
        for e in entries
    ]
