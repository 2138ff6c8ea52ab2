"""Factories for tests: a contest configured like the 2025 plan, units, users, roles, entries."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from contest import seed_data
from contest.enums import ContestPhase, Role, UnitType
from contest.models import (
    Category,
    Contest,
    Criterion,
    PrizeTier,
    QuotaRule,
    RoleAssignment,
    Unit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ContestFactory(factory.django.DjangoModelFactory):
    """A contest with the plan's categories, quotas, prizes and rubric."""

    class Meta:
        model = Contest
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cuộc thi ý tưởng CCHC thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"Cuộc thi thử {n}")
    year = 2025
    slug = factory.Sequence(lambda n: f"thu-{n}")
    phase = ContestPhase.OPEN
    intake_opens_at = dt.datetime(2025, 3, 1, tzinfo=VN)
    forwarding_deadline = dt.datetime(2025, 7, 15, tzinfo=VN)
    scoring_deadline = dt.datetime(2025, 8, 31, tzinfo=VN)
    results_deadline = dt.datetime(2025, 9, 30, tzinfo=VN)
    group_prize_multiplier = seed_data.GROUP_MULTIPLIER

    @factory.post_generation
    def configuration(contest, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Category.objects.bulk_create(
            Category(contest=contest, code=code, position=i, title=title, description=desc)
            for i, (code, title, desc) in enumerate(seed_data.CATEGORIES, start=1)
        )
        QuotaRule.objects.bulk_create(
            QuotaRule(contest=contest, unit_type=t, minimum=m, mandatory=mand)
            for t, m, mand in seed_data.QUOTAS
        )
        PrizeTier.objects.bulk_create(
            PrizeTier(contest=contest, rank=r, name=n, individual_count=i, group_count=g,
                      individual_amount=a, merit_certificate=b)
            for r, n, i, g, a, b in seed_data.PRIZES
        )
        Criterion.objects.bulk_create(
            Criterion(contest=contest, round=rnd, position=p, title=t, max_points=m,
                      description=d)
            for rnd, p, t, m, d in seed_data.RUBRIC
        )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    contest = factory.SubFactory(ContestFactory)
    code = factory.Sequence(lambda n: f"dv-{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    unit_type = UnitType.DEPARTMENT


def district_with_communes(contest, name="UBND huyện Cao Lộc", communes=2):
    district = UnitFactory(contest=contest, name=name, unit_type=UnitType.DISTRICT)
    children = [
        UnitFactory(contest=contest, name=f"UBND xã Thử {i}", unit_type=UnitType.COMMUNE,
                    parent=district)
        for i in range(1, communes + 1)
    ]
    return district, children


def grant(user, contest, role: str, unit=None) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, contest=contest, role=role, unit=unit)
    if hasattr(user, "_portal_roles"):
        del user._portal_roles
    return assignment


__all__ = ["ContestFactory", "Role", "UnitFactory", "UserFactory", "district_with_communes",
           "grant"]
