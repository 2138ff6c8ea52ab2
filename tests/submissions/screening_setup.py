"""Shared arrangement for the screening tests: a contest still taking entries, a district
with two communes, two departments and an organisation, each with staff and a head."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from contest.enums import Role, UnitType
from contest.models import Contest, Unit
from submissions import screening
from submissions.enums import EntryStatus
from tests.factories import (
    AuthorFactory,
    ContestFactory,
    EntryFactory,
    UnitFactory,
    UserFactory,
    district_with_communes,
    grant,
    submit_entry,
)


@dataclass
class World:
    contest: Contest
    district: Unit
    commune: Unit
    other_commune: Unit
    dept_a: Unit
    dept_b: Unit
    organisation: Unit
    users: dict

    def staff(self, unit: Unit):
        return self.users[(unit.pk, Role.UNIT_STAFF)]

    def head(self, unit: Unit):
        return self.users[(unit.pk, Role.UNIT_HEAD)]


def open_contest(**kwargs) -> Contest:
    now = timezone.now()
    return ContestFactory(
        intake_opens_at=now - dt.timedelta(days=30),
        forwarding_deadline=now + dt.timedelta(days=30),
        scoring_deadline=now + dt.timedelta(days=60),
        results_deadline=now + dt.timedelta(days=90),
        **kwargs,
    )


def build_world(contest: Contest | None = None) -> World:
    contest = contest or open_contest()
    district, (commune, other_commune) = district_with_communes(contest)
    dept_a = UnitFactory(contest=contest, name="Sở Tư pháp")
    dept_b = UnitFactory(contest=contest, name="Sở Y tế")
    organisation = UnitFactory(
        contest=contest, name="Hội Liên hiệp Phụ nữ tỉnh", unit_type=UnitType.ORGANISATION
    )
    users = {}
    for unit in (district, commune, other_commune, dept_a, dept_b, organisation):
        for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
            user = UserFactory()
            grant(user, contest, role, unit)
            users[(unit.pk, role)] = user
    return World(contest, district, commune, other_commune, dept_a, dept_b, organisation, users)


def submitted_entry(unit: Unit, *, title: str | None = None, authors=("Lê Văn An",), **kw):
    entry = EntryFactory(
        contest=unit.contest, unit=unit, **({"title": title} if title else {}), **kw
    )
    for i, name in enumerate(authors, start=1):
        AuthorFactory(entry=entry, position=i, full_name=name, is_representative=i == 1)
    return submit_entry(entry)


def selected_entry(world: World, unit: Unit, **kw):
    entry = submitted_entry(unit, **kw)
    screening.entry_screening_start(entry=entry, by=world.staff(unit))
    screening.entry_select(entry=entry, by=world.staff(unit))
    return entry


def certified_entry(world: World, unit: Unit, **kw):
    entry = selected_entry(world, unit, **kw)
    screening.entry_certify(entry=entry, by=world.head(unit), text="Hiệu quả, khả thi.")
    return entry


def certified_at_district_from_commune(world: World, **kw):
    """A commune entry selected and certified at the commune, passed up, then screened,
    selected and certified again by the district."""
    entry = certified_entry(world, world.commune, **kw)
    screening.entry_pass_up(entry=entry, by=world.staff(world.commune))
    screening.entry_screening_start(entry=entry, by=world.staff(world.district))
    screening.entry_select(entry=entry, by=world.staff(world.district))
    screening.entry_certify(entry=entry, by=world.head(world.district), text="Khả thi.")
    return entry


def forward(world: World, unit: Unit, entries, *, number="01/CV", at=None):
    return screening.forwarding_batch_create(
        unit=unit,
        by=world.staff(unit),
        channel="ioffice",
        dispatch_number=number,
        dispatch_date=timezone.localdate(),
        entry_ids=[e.pk for e in entries],
        at=at,
    )


__all__ = [
    "EntryStatus",
    "World",
    "build_world",
    "certified_at_district_from_commune",
    "certified_entry",
    "forward",
    "open_contest",
    "selected_entry",
    "submitted_entry",
]
