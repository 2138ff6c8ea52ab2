"""Writes about the contest itself: deadlines, the event log, copying to a new year."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import (
    Category,
    Contest,
    Criterion,
    Event,
    PrizeTier,
    QuotaRule,
    Unit,
)


def deadline_is_open(*, deadline: dt.datetime, at: dt.datetime | None = None) -> bool:
    """The one rule for every deadline: an action is on time strictly before the instant.
    "Trước ngày 15/7/2025" is stored as 15/07/2025 00:00:00 +07:00, so 23:59:59 on the
    14th is on time and 00:00:00 on the 15th is late."""
    return (at or timezone.now()) < deadline


def event_record(
    *,
    target: models.Model,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    contest: Contest | None = None,
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> Event:
    """Append one row to the event log. Callers are the transition functions of each app."""
    if contest is None:
        contest = target if isinstance(target, Contest) else getattr(target, "contest", None)
    return Event.objects.create(
        contest=contest,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def _shift_years(value: dt.datetime | None, years: int) -> dt.datetime | None:
    """The same wall-clock instant in Vietnam `years` later. Shifted in local time, not UTC,
    so "00:00 ngày 15/07" stays 00:00 on 15/07; 29 February becomes 28 February (earlier,
    so a deadline is never silently extended)."""
    if value is None:
        return None
    local = timezone.localtime(value)
    try:
        return local.replace(year=local.year + years)
    except ValueError:  # 29 February into a non-leap year
        return local.replace(year=local.year + years, day=28)


@transaction.atomic
def contest_copy_to_year(*, contest: Contest, year: int, actor=None) -> Contest:
    """Copy a contest's configuration (not its entries, roles or committee) to a new year,
    moving every date by the difference in years."""
    shift = year - contest.year
    copy = Contest.objects.create(
        name=contest.name.replace(str(contest.year), str(year)),
        short_name=contest.short_name.replace(str(contest.year), str(year)),
        year=year,
        slug=_free_slug(contest.slug.replace(str(contest.year), str(year))),
        province=contest.province,
        plan_reference="",
        standing_agency=contest.standing_agency,
        purpose=contest.purpose,
        eligibility=contest.eligibility,
        exclusions=contest.exclusions,
        entry_form=contest.entry_form,
        how_to_submit=contest.how_to_submit,
        usage_rights=contest.usage_rights,
        intake_opens_at=_shift_years(contest.intake_opens_at, shift),
        forwarding_deadline=_shift_years(contest.forwarding_deadline, shift),
        scoring_deadline=_shift_years(contest.scoring_deadline, shift),
        results_deadline=_shift_years(contest.results_deadline, shift),
        judging_mode=contest.judging_mode,
        score_step=contest.score_step,
        group_prize_multiplier=contest.group_prize_multiplier,
        reminder_days_before_deadline=contest.reminder_days_before_deadline,
    )
    Category.objects.bulk_create(
        Category(
            contest=copy, code=c.code, position=c.position, title=c.title, description=c.description
        )
        for c in contest.categories.all()
    )
    QuotaRule.objects.bulk_create(
        QuotaRule(contest=copy, unit_type=q.unit_type, minimum=q.minimum, mandatory=q.mandatory)
        for q in contest.quota_rules.all()
    )
    PrizeTier.objects.bulk_create(
        PrizeTier(
            contest=copy,
            rank=p.rank,
            name=p.name,
            individual_count=p.individual_count,
            group_count=p.group_count,
            individual_amount=p.individual_amount,
            merit_certificate=p.merit_certificate,
        )
        for p in contest.prize_tiers.all()
    )
    Criterion.objects.bulk_create(
        Criterion(
            contest=copy,
            round=c.round,
            position=c.position,
            title=c.title,
            description=c.description,
            max_points=c.max_points,
            weight=c.weight,
        )
        for c in contest.criteria.all()
    )
    units = list(contest.units.order_by("parent_id", "id"))
    top = {
        u.pk: Unit(
            contest=copy,
            code=u.code,
            name=u.name,
            unit_type=u.unit_type,
            email=u.email,
            is_active=u.is_active,
            intake_deadline=_shift_years(u.intake_deadline, shift),
        )
        for u in units
        if u.parent_id is None
    }
    Unit.objects.bulk_create(top.values())
    Unit.objects.bulk_create(
        Unit(
            contest=copy,
            code=u.code,
            name=u.name,
            unit_type=u.unit_type,
            email=u.email,
            is_active=u.is_active,
            parent=top[u.parent_id],
            intake_deadline=_shift_years(u.intake_deadline, shift),
        )
        for u in units
        if u.parent_id is not None
    )
    event_record(
        target=copy,
        action="contest_copied",
        actor=actor,
        data={"from_contest": contest.pk, "from_year": contest.year},
    )
    return copy


def _free_slug(slug: str) -> str:
    candidate, n = slug, 1
    while Contest.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def unit_set_intake_deadline(*, unit: Unit, deadline: dt.datetime | None, actor=None) -> Unit:
    """Set (or clear, with None) a unit's own intake deadline; refused when later than the
    contest's forwarding deadline (Unit.clean holds the rule, the database cannot)."""
    old = unit.intake_deadline
    unit.intake_deadline = deadline
    try:
        unit.full_clean()
    except ValidationError:
        unit.intake_deadline = old
        raise
    with transaction.atomic():
        unit.save(update_fields=["intake_deadline"])
        event_record(
            target=unit,
            action="unit_intake_deadline_set",
            actor=actor,
            data={
                "from": old.isoformat() if old else None,
                "to": deadline.isoformat() if deadline else None,
            },
        )
    return unit


def contest_set_phase(*, contest: Contest, phase: str, actor=None, reason: str = "") -> Contest:
    with transaction.atomic():
        locked = Contest.objects.select_for_update().get(pk=contest.pk)
        old = locked.phase
        if old == phase:
            return locked
        locked.phase = phase
        locked.save(update_fields=["phase"])
        event_record(
            target=locked,
            action="phase_changed",
            actor=actor,
            from_state=old,
            to_state=phase,
            reason=reason,
        )
    contest.phase = phase
    return locked
