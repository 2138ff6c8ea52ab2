"""The entry's state machine: the only code that changes Entry.status.

Each allowed transition names the role that may make it, as seen from the entry: the
entrant who owns it, staff or head of the unit holding it, or the contest's secretariat.
entry_transition checks both, saves with update_fields inside a transaction, writes one
event row, and queues side effects after commit."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import Role, UnitType
from contest.selectors import roles_of
from contest.services import event_record

from .enums import EntryStatus as S
from .models import Entry

ENTRANT = "entrant"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: str  # ENTRANT or a contest.enums.Role value
    action: str
    needs_reason: bool = False
    holder_is_commune: bool | None = None  # None: any holder


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, ENTRANT, "submitted"),
    Transition(S.DRAFT, S.SUBMITTED, Role.UNIT_STAFF, "registered_on_paper"),
    Transition(S.SUBMITTED, S.WITHDRAWN, ENTRANT, "withdrawn"),
    Transition(S.SUBMITTED, S.SCREENING, Role.UNIT_STAFF, "screening_started"),
    Transition(S.PASSED_UP, S.SCREENING, Role.UNIT_STAFF, "screening_started"),
    Transition(S.SCREENING, S.REJECTED, Role.UNIT_STAFF, "rejected", needs_reason=True),
    Transition(S.SCREENING, S.SELECTED, Role.UNIT_STAFF, "selected"),
    Transition(S.SELECTED, S.CERTIFIED, Role.UNIT_HEAD, "certified"),
    Transition(S.CERTIFIED, S.PASSED_UP, Role.UNIT_STAFF, "passed_up", holder_is_commune=True),
    Transition(S.CERTIFIED, S.FORWARDED, Role.UNIT_STAFF, "forwarded", holder_is_commune=False),
    Transition(S.FORWARDED, S.ACCEPTED, Role.SECRETARIAT, "accepted"),
    Transition(
        S.FORWARDED, S.INELIGIBLE, Role.SECRETARIAT, "returned_ineligible", needs_reason=True
    ),
    Transition(
        S.ACCEPTED, S.INELIGIBLE, Role.SECRETARIAT, "returned_ineligible", needs_reason=True
    ),
)
_BY_ACTOR: dict[tuple[str, str, str], Transition] = {
    (t.source, t.target, t.actor): t for t in TRANSITIONS
}


class TransitionRefused(Exception):
    """The transition is not allowed from this state, for this user, or without a reason.
    The message is Vietnamese and safe to show."""


def _actor_roles(user, entry: Entry) -> set[str]:
    roles = roles_of(user)
    held: set[str] = set()
    if entry.owner_id is not None and user.is_authenticated and entry.owner_id == user.pk:
        held.add(ENTRANT)
    if entry.holder_id is not None:
        for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
            if roles.has(entry.contest_id, role, entry.holder_id):
                held.add(role)
    for role in (Role.SECRETARIAT, Role.ORGANIZER):
        if roles.has(entry.contest_id, role):
            held.add(role)
    return held


def allowed_targets(*, entry: Entry, user) -> list[str]:
    """The states this user may move the entry to now (for showing buttons)."""
    held = _actor_roles(user, entry)
    return [
        t.target
        for (src, _tgt, actor), t in _BY_ACTOR.items()
        if src == entry.status and actor in held
    ]


def entry_transition(
    *,
    entry: Entry,
    to: str,
    by,
    reason: str = "",
    data: dict | None = None,
    fields: dict | None = None,
    then: Callable[[Entry], None] | None = None,
) -> Entry:
    """Move an entry to state `to`. `fields` are further columns set in the same save (for
    example the tracking code on submit, the holder when passed up). `then` is called with the
    saved entry inside the same transaction, to queue its jobs through contest.outbox."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        held = _actor_roles(by, locked)
        # The entrant acting on their own entry is always the entrant, even if they also
        # hold a role in the unit; otherwise the order of the roles is stable.
        ordered = sorted(held, key=lambda actor: (actor != ENTRANT, actor))
        candidates = [
            t for actor in ordered if (t := _BY_ACTOR.get((locked.status, to, actor))) is not None
        ]
        if not candidates:
            if not any(k[0] == locked.status and k[1] == to for k in _BY_ACTOR):
                raise TransitionRefused(
                    _("Không thể chuyển bài dự thi từ trạng thái “%(src)s” sang “%(dst)s”.")
                    % {"src": S(locked.status).label, "dst": S(to).label}
                )
            raise TransitionRefused(_("Bạn không có quyền thực hiện thao tác này."))
        transition = candidates[0]
        if transition.holder_is_commune is not None:
            is_commune = locked.holder.unit_type == UnitType.COMMUNE
            if is_commune != transition.holder_is_commune:
                raise TransitionRefused(
                    _(
                        "UBND cấp xã chuyển bài lên UBND cấp huyện; chỉ UBND cấp huyện và các "
                        "đơn vị khác gửi bài về Ban Tổ chức."
                    )
                )
        if transition.needs_reason and not reason:
            raise TransitionRefused(_("Vui lòng nêu lý do."))
        source = locked.status
        locked.status = to
        update_fields = ["status", "version", "updated_at"]
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=update_fields)
        event_record(
            target=locked,
            action=transition.action,
            actor=by,
            from_state=source,
            to_state=to,
            reason=reason,
            contest=locked.contest,
            data=data,
        )
        if then is not None:
            then(locked)
    # Reflect the saved state in the caller's object.
    for name in ["status", "version", "updated_at", *(fields or {})]:
        setattr(entry, name, getattr(locked, name))
    return entry
