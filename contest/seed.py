"""Loading the 2025 contest and the demo contest. Idempotent: running twice changes nothing."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import seed_data as data
from .enums import CommitteeBody, ContestPhase, Role, UnitType
from .models import (
    Category,
    CommitteeMember,
    Contest,
    Criterion,
    PrizeTier,
    QuotaRule,
    RoleAssignment,
    Unit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _code(prefix: str, name: str) -> str:
    return f"{prefix}-{slugify(name.replace('Đ', 'D').replace('đ', 'd'))}"[:40]


@dataclass(frozen=True)
class Deadlines:
    intake_opens_at: dt.datetime
    forwarding_deadline: dt.datetime
    scoring_deadline: dt.datetime
    results_deadline: dt.datetime


# "Trước ngày 15/7/2025" is the instant 15/07/2025 00:00 in Vietnam: on time strictly before.
DEADLINES_2025 = Deadlines(
    intake_opens_at=dt.datetime(2025, 3, 1, 0, 0, tzinfo=VN),
    forwarding_deadline=dt.datetime(2025, 7, 15, 0, 0, tzinfo=VN),
    scoring_deadline=dt.datetime(2025, 8, 31, 0, 0, tzinfo=VN),
    results_deadline=dt.datetime(2025, 9, 30, 0, 0, tzinfo=VN),
)


def demo_deadlines(today: dt.date | None = None) -> Deadlines:
    """Deadlines placed around today so every phase can be tried."""
    today = today or timezone.localdate()

    def midnight(days: int) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(0, 0), tzinfo=VN)

    return Deadlines(midnight(-30), midnight(14), midnight(45), midnight(75))


@transaction.atomic
def seed_contest(
    *,
    slug: str,
    year: int,
    name: str,
    short_name: str,
    phase: str,
    deadlines: Deadlines,
    plan_reference: str = "",
) -> Contest:
    contest, _ = Contest.objects.update_or_create(
        slug=slug,
        defaults=dict(
            name=name,
            short_name=short_name,
            year=year,
            phase=phase,
            plan_reference=plan_reference,
            purpose=data.PURPOSE,
            eligibility=data.ELIGIBILITY,
            exclusions=data.EXCLUSIONS,
            entry_form=data.ENTRY_FORM,
            how_to_submit=data.HOW_TO_SUBMIT,
            usage_rights=data.USAGE_RIGHTS,
            group_prize_multiplier=data.GROUP_MULTIPLIER,
            intake_opens_at=deadlines.intake_opens_at,
            forwarding_deadline=deadlines.forwarding_deadline,
            scoring_deadline=deadlines.scoring_deadline,
            results_deadline=deadlines.results_deadline,
        ),
    )
    for position, (code, title, description) in enumerate(data.CATEGORIES, start=1):
        Category.objects.update_or_create(
            contest=contest,
            code=code,
            defaults=dict(position=position, title=title, description=description),
        )
    for unit_type, minimum, mandatory in data.QUOTAS:
        QuotaRule.objects.update_or_create(
            contest=contest,
            unit_type=unit_type,
            defaults=dict(minimum=minimum, mandatory=mandatory),
        )
    for rank, name_, ind, grp, amount, merit in data.PRIZES:
        PrizeTier.objects.update_or_create(
            contest=contest,
            rank=rank,
            defaults=dict(
                name=name_,
                individual_count=ind,
                group_count=grp,
                individual_amount=amount,
                merit_certificate=merit,
            ),
        )
    for round_, position, title, max_points, description in data.RUBRIC:
        Criterion.objects.update_or_create(
            contest=contest,
            round=round_,
            position=position,
            defaults=dict(title=title, max_points=max_points, description=description),
        )
    _seed_units(contest)
    return contest


def _unit(contest, code, name, unit_type, parent=None) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        contest=contest,
        code=code,
        defaults=dict(name=name, unit_type=unit_type, parent=parent),
    )
    return unit


def _seed_units(contest: Contest) -> None:
    for name in data.DEPARTMENTS:
        _unit(contest, _code("so", name), name, UnitType.DEPARTMENT)
    for district_name, communes in data.DISTRICTS.items():
        district = _unit(contest, _code("huyen", district_name), district_name, UnitType.DISTRICT)
        for gso_code, commune_name in communes:
            _unit(contest, f"xa-{gso_code}", commune_name, UnitType.COMMUNE, parent=district)
    for name in data.ORGANISATIONS:
        _unit(contest, _code("tc", name), name, UnitType.ORGANISATION)
    for name in data.CENTRAL_AGENCIES:
        _unit(contest, _code("tw", name), name, UnitType.CENTRAL)


def seed_2025() -> Contest:
    return seed_contest(
        slug="cchc-2025",
        year=2025,
        name=data.NAME,
        short_name=data.SHORT_NAME,
        phase=ContestPhase.ARCHIVED,
        deadlines=DEADLINES_2025,
        plan_reference="Kế hoạch của UBND tỉnh Lạng Sơn, tháng 3/2025",
    )


DEMO_PASSWORD = "demo-cchc-2026"  # noqa: S105 (demo accounts only, printed by make run)

# (email, full name, role, unit code or None)
DEMO_USERS = [
    ("tacgia@demo.cchc.vn", "Nguyễn Thị Hoa", None, None),
    ("canbo.caoloc@demo.cchc.vn", "Hoàng Văn Minh", Role.UNIT_STAFF, "huyen-ubnd-huyen-cao-loc"),
    ("canbo.dongdang@demo.cchc.vn", "Lý Thị Mai", Role.UNIT_STAFF, "xa-06184"),
    ("canbo.sonoivu@demo.cchc.vn", "Vi Văn Hùng", Role.UNIT_STAFF, "so-so-noi-vu"),
    (
        "thutruong.caoloc@demo.cchc.vn",
        "Lương Đức Thắng",
        Role.UNIT_HEAD,
        "huyen-ubnd-huyen-cao-loc",
    ),
    ("thutruong.dongdang@demo.cchc.vn", "Chu Văn Sơn", Role.UNIT_HEAD, "xa-06184"),
    ("thutruong.sonoivu@demo.cchc.vn", "Nguyễn Văn Hải", Role.UNIT_HEAD, "so-so-noi-vu"),
    ("thuky@demo.cchc.vn", "Đinh Thị Lan", Role.SECRETARIAT, None),
    ("giamkhao1@demo.cchc.vn", "Trần Quốc Bảo", Role.JUDGE, None),
    ("giamkhao2@demo.cchc.vn", "Phạm Thu Trang", Role.JUDGE, None),
    ("bantochuc@demo.cchc.vn", "Dương Xuân Huyền", Role.ORGANIZER, None),
]


@transaction.atomic
def seed_demo(today: dt.date | None = None) -> Contest:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    year = (today or timezone.localdate()).year
    contest = seed_contest(
        slug="demo",
        year=year,
        name=data.NAME.replace("2025", str(year)) + " (bản trình diễn)",
        short_name=data.SHORT_NAME.replace("2025", str(year)) + " (trình diễn)",
        phase=ContestPhase.OPEN,
        deadlines=demo_deadlines(today),
        plan_reference="Kế hoạch của UBND tỉnh Lạng Sơn (dữ liệu trình diễn)",
    )
    User = get_user_model()
    units = {u.code: u for u in contest.units.all()}
    for email, full_name, role, unit_code in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            RoleAssignment.objects.get_or_create(
                user=user,
                contest=contest,
                role=role,
                unit=units[unit_code] if unit_code else None,
            )
        if role in (Role.SECRETARIAT, Role.JUDGE, Role.ORGANIZER):
            body = {
                Role.SECRETARIAT: CommitteeBody.SUPPORT,
                Role.JUDGE: CommitteeBody.JURY,
                Role.ORGANIZER: CommitteeBody.ORGANIZING,
            }[role]
            CommitteeMember.objects.get_or_create(
                contest=contest,
                user=user,
                defaults=dict(body=body, full_name=full_name, email=email),
            )
    admin, created = User.objects.get_or_create(
        email="admin@demo.cchc.vn",
        defaults={"full_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=admin, email=admin.email, defaults={"verified": True, "primary": True}
    )
    from .demo import demo_entries_seed

    demo_entries_seed(contest=contest)
    return contest
