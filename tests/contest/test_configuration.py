"""The 2025 plan as data: categories, quotas, prizes, deadlines and the real unit lists."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from contest.enums import ContestPhase, UnitType
from contest.models import Unit
from contest.seed import seed_2025
from contest.selectors import prize_table

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC

PLAN_CATEGORIES = [
    ("a", "Công tác chỉ đạo điều hành"),
    ("b", "Cải cách thể chế"),
    ("c", "Cải cách thủ tục hành chính"),
    ("d", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("đ", "Cải cách chế độ công vụ"),
    ("e", "Cải cách tài chính công"),
    ("g", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    ("h", "Cải thiện, nâng cao năng lực cạnh tranh của tỉnh"),
]


@pytest.fixture
def contest_2025(db):
    return seed_2025()


def test_seed_2025_categories_are_the_plans_eight_in_order(contest_2025):
    categories = list(contest_2025.categories.order_by("position"))

    assert [(c.code, c.title) for c in categories] == PLAN_CATEGORIES
    assert [c.position for c in categories] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(c.description for c in categories)


def test_seed_2025_quotas_per_unit_type(contest_2025):
    quotas = {q.unit_type: (q.minimum, q.mandatory) for q in contest_2025.quota_rules.all()}

    assert quotas == {
        UnitType.DEPARTMENT: (1, True),
        UnitType.DISTRICT: (3, True),
        UnitType.COMMUNE: (0, False),
        UnitType.ORGANISATION: (1, False),
        UnitType.CENTRAL: (1, False),
    }


def test_seed_2025_prizes_are_the_plans(contest_2025):
    table = prize_table(contest=contest_2025)

    assert [
        (
            line.name,
            line.individual_count,
            line.group_count,
            line.individual_amount,
            line.group_amount,
            line.merit_certificate,
        )
        for line in table.lines
    ] == [
        ("Giải nhất", 1, 1, 5_000_000, 7_500_000, True),
        ("Giải nhì", 1, 1, 2_500_000, 3_750_000, True),
        ("Giải ba", 2, 2, 1_500_000, 2_250_000, True),
        ("Giải khuyến khích", 3, 3, 1_000_000, 1_500_000, False),
    ]
    assert table.total == 33_750_000


def test_seed_2025_deadlines_are_the_plans_instants(contest_2025):
    assert contest_2025.phase == ContestPhase.ARCHIVED
    assert contest_2025.forwarding_deadline == dt.datetime(2025, 7, 15, 0, 0, tzinfo=VN)
    assert contest_2025.forwarding_deadline == dt.datetime(2025, 7, 14, 17, 0, tzinfo=UTC)
    assert contest_2025.scoring_deadline == dt.datetime(2025, 8, 31, 0, 0, tzinfo=VN)
    assert contest_2025.results_deadline == dt.datetime(2025, 9, 30, 0, 0, tzinfo=VN)


def test_seed_2025_unit_counts_per_type(contest_2025):
    counts = dict(
        contest_2025.units.order_by()
        .values("unit_type")
        .annotate(n=Count("id"))
        .values_list("unit_type", "n")
    )

    assert counts == {
        UnitType.DEPARTMENT: 15,
        UnitType.DISTRICT: 11,
        UnitType.COMMUNE: 55,
        UnitType.ORGANISATION: 9,
        UnitType.CENTRAL: 7,
    }


def test_seed_2025_units_are_the_real_lists(contest_2025):
    names = set(contest_2025.units.values_list("name", flat=True))

    assert {
        "Sở Nội vụ",
        "Văn phòng UBND tỉnh",
        "Thanh tra tỉnh",
        "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
    } <= names
    assert {"UBND thành phố Lạng Sơn", "UBND huyện Đình Lập", "UBND huyện Cao Lộc"} <= names
    assert {"Tỉnh Đoàn Lạng Sơn", "Công an tỉnh Lạng Sơn", "Kho bạc Nhà nước khu vực VI"} <= names
    # merged away on 01/03/2025, so not receiving units of the 2025 contest
    assert {"Sở Kế hoạch và Đầu tư", "Sở Giao thông vận tải", "Ban Dân tộc"} & names == set()


def test_seed_2025_every_district_has_its_communes(contest_2025):
    communes_per_district = dict(
        Unit.objects.filter(contest=contest_2025, unit_type=UnitType.COMMUNE)
        .order_by()
        .values("parent__name")
        .annotate(n=Count("id"))
        .values_list("parent__name", "n")
    )
    parent_types = set(
        Unit.objects.filter(contest=contest_2025, unit_type=UnitType.COMMUNE).values_list(
            "parent__unit_type", flat=True
        )
    )

    assert len(communes_per_district) == 11
    assert set(communes_per_district.values()) == {5}
    assert parent_types == {UnitType.DISTRICT}


def test_seed_2025_duplicate_commune_names_are_told_apart_by_parent(contest_2025):
    mau_son = list(
        contest_2025.units.filter(name="UBND xã Mẫu Sơn")
        .select_related("parent")
        .order_by("parent__name")
    )
    chi_lang = sorted(
        str(u)
        for u in contest_2025.units.filter(
            name__endswith="Chi Lăng", unit_type=UnitType.COMMUNE
        ).select_related("parent")
    )
    pairs = list(
        contest_2025.units.filter(unit_type=UnitType.COMMUNE).values_list("name", "parent_id")
    )

    assert [str(u) for u in mau_son] == [
        "UBND xã Mẫu Sơn (UBND huyện Cao Lộc)",
        "UBND xã Mẫu Sơn (UBND huyện Lộc Bình)",
    ]
    assert mau_son[0].code != mau_son[1].code
    assert chi_lang == [
        "UBND phường Chi Lăng (UBND thành phố Lạng Sơn)",
        "UBND thị trấn Chi Lăng (UBND huyện Chi Lăng)",
        "UBND xã Chi Lăng (UBND huyện Tràng Định)",
    ]
    assert len(set(pairs)) == len(pairs)


def test_seed_2025_twice_changes_nothing(contest_2025):
    before = list(Unit.objects.order_by("pk").values())

    again = seed_2025()

    assert again.pk == contest_2025.pk
    assert list(Unit.objects.order_by("pk").values()) == before
