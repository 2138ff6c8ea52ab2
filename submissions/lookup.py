"""The public look-up of an entry by its tracking code and the last four digits of the
representative's phone. It shows the status, who holds the entry, the next deadline and
the dated steps, and never any personal data. Failed attempts are limited per client and
per code, through Django's cache (locmem or Redis alike)."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phone import phone_last_digits
from contest.services import deadline_is_open

from .enums import AT_UNIT, EntryKind, EntryStatus
from .models import Author, Entry, canonical_code
from .timeline import TimelineStep, entry_timeline, events_by_entry, organizer_name

_CODE_NOISE = re.compile(r"[\s\-.]")

# States whose entry sits with the organizing committee rather than a unit.
_AT_ORGANIZER = frozenset({EntryStatus.FORWARDED, EntryStatus.ACCEPTED, EntryStatus.INELIGIBLE})
# States after which nothing more happens to the entry in this contest.
_CLOSED = frozenset({EntryStatus.WITHDRAWN, EntryStatus.REJECTED, EntryStatus.INELIGIBLE})


class LookupRateLimited(Exception):
    """Too many failed look-ups from this client or for this code."""


@dataclass(frozen=True)
class Deadline:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class LookupResult:
    tracking_code: str
    status_label: str
    holder_name: str
    next_deadline: Deadline | None
    steps: list[TimelineStep]


def tracking_code_normalize(raw: str) -> str:
    """Upper case without spaces, dashes or dots: "cchc-25 0012" → "CCHC250012"."""
    return _CODE_NOISE.sub("", raw or "").upper()


def _failure_keys(*, code: str, client_ip: str) -> list[str]:
    code_hash = hashlib.sha256(code.encode()).hexdigest()[:32]
    return [f"lookup:fail:ip:{client_ip}", f"lookup:fail:code:{code_hash}"]


def lookup_limits() -> tuple[int, int]:
    """(failures allowed, window in seconds), from settings."""
    return settings.LOOKUP_MAX_FAILURES, settings.LOOKUP_WINDOW_SECONDS


def _is_limited(keys: list[str]) -> bool:
    max_failures, _window = lookup_limits()
    counts = cache.get_many(keys)
    return any(int(counts.get(key) or 0) >= max_failures for key in keys)


def _record_failure(keys: list[str]) -> None:
    # The window starts at the first failure; incr keeps the key's expiry.
    _max, window = lookup_limits()
    for key in keys:
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def _representative_phone(entry: Entry) -> str:
    authors = list(entry.authors.all())
    chosen = next((a for a in authors if a.is_representative), None)
    if chosen is None and entry.kind == EntryKind.INDIVIDUAL and len(authors) == 1:
        chosen = authors[0]
    return (chosen.phone_key or chosen.phone) if chosen else ""


def _holder_name(entry: Entry) -> str:
    if entry.status in _AT_ORGANIZER or entry.holder is None:
        return organizer_name(entry)
    if entry.status in AT_UNIT or entry.status == EntryStatus.REJECTED:
        return entry.holder.name
    if entry.status == EntryStatus.WITHDRAWN:
        return _("Tác giả đã rút bài")
    return organizer_name(entry)


def _next_deadline(entry: Entry, *, now: dt.datetime) -> Deadline | None:
    contest = entry.contest
    if entry.status in _CLOSED:
        return None
    if entry.status in AT_UNIT:
        candidates = [(_("Hạn đơn vị gửi bài về Ban Tổ chức"), contest.forwarding_deadline)]
    elif entry.status in _AT_ORGANIZER:
        candidates = [
            (_("Hạn hoàn thành chấm thi"), contest.scoring_deadline),
            (_("Hạn công bố kết quả và trao giải"), contest.results_deadline),
        ]
    else:
        candidates = [(_("Hạn công bố kết quả và trao giải"), contest.results_deadline)]
    for label, at in candidates:
        if deadline_is_open(deadline=at, at=now):
            return Deadline(label=label, at=at)
    return None


def _find_entry(code: str) -> Entry | None:
    if not code:
        return None
    return (
        Entry.objects.exclude(status=EntryStatus.DRAFT)
        .exclude(tracking_code__isnull=True)
        .filter(Q(tracking_code=code) | Exact(canonical_code(), code))
        .select_related("contest", "unit", "unit__parent", "holder")
        .prefetch_related(
            # Only what the phone check needs: names and e-mails are never loaded here.
            Prefetch(
                "authors",
                queryset=Author.objects.only(
                    "id", "entry_id", "phone", "phone_key", "is_representative", "position"
                ),
            )
        )
        .first()
    )


def entry_lookup(
    *, code: str, phone_last4: str, client_ip: str, now: dt.datetime | None = None
) -> LookupResult | None:
    """The entry's public status, or None when the code and phone do not match (one answer
    for both, so nothing leaks). Raises LookupRateLimited once the failures from this client
    or for this code reach the limit within the window, even for a correct answer."""
    normalized = tracking_code_normalize(code)
    keys = _failure_keys(code=normalized, client_ip=client_ip)
    if _is_limited(keys):
        raise LookupRateLimited
    entry = _find_entry(normalized)
    expected = phone_last_digits(_representative_phone(entry)) if entry else ""
    if not expected or not phone_last4 or expected != phone_last4:
        _record_failure(keys)
        return None
    now = now or timezone.now()
    events = events_by_entry(entry_ids=[entry.pk])[entry.pk]
    return LookupResult(
        tracking_code=entry.tracking_code,
        status_label=EntryStatus(entry.status).label,
        holder_name=_holder_name(entry),
        next_deadline=_next_deadline(entry, now=now),
        steps=entry_timeline(entry=entry, events=events, with_reasons=False),
    )
