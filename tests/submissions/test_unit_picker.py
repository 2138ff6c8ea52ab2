"""The wizard's receiving-unit step at national size: a group or a search lists a capped
number of units, its cost does not grow with the number of units, and the choice is still
checked by the intake service."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.enums import UnitType
from contest.models import Unit
from submissions import selectors, services
from tests.factories import UnitFactory, UserFactory, district_with_communes
from tests.submissions.intake_support import open_contest

pytestmark = pytest.mark.django_db


def _units(contest, n: int) -> None:
    """n departments and n districts of n communes each (n + n + n² units)."""
    Unit.objects.bulk_create(
        Unit(contest=contest, code=f"so-{i}", name=f"Sở Thử {i}", unit_type=UnitType.DEPARTMENT)
        for i in range(n)
    )
    districts = Unit.objects.bulk_create(
        Unit(contest=contest, code=f"h-{i}", name=f"UBND huyện {i}", unit_type=UnitType.DISTRICT)
        for i in range(n)
    )
    Unit.objects.bulk_create(
        Unit(
            contest=contest,
            code=f"x-{d.pk}-{i}",
            name=f"UBND xã {i}",
            unit_type=UnitType.COMMUNE,
            parent=d,
        )
        for d in districts
        for i in range(n)
    )


def _draft(contest, *, unit=None):
    owner = UserFactory()
    entry = services.entry_start(contest=contest, owner=owner)
    if unit is not None:
        services.entry_set_unit(entry=entry, by=owner, unit_id=unit.pk)
    return owner, entry


def _url(entry) -> str:
    return reverse("submissions:step", args=[entry.pk, "don-vi"])


def _radio_labels(html: str) -> list[str]:
    return re.findall(r'<label class="form-check-label" for="unit-\d+">([^<]*)', html)


def _queries(client, url, params) -> int:
    client.get(url, params)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [{}, {"nhom": "department"}, {"nhom": "commune-of-first"}, {"tim": "xa 1"}, {"tim": "ubnd"}],
    ids=["saved-unit", "group", "communes-of-a-district", "search", "search-capped"],
)
def test_unit_step_query_count_same_at_3_and_300_units(client, params):
    counts = []
    for n in (1, 17):  # 3 and 323 units
        contest = open_contest()
        _units(contest, n)
        first_district = Unit.objects.filter(contest=contest, unit_type=UnitType.DISTRICT).first()
        asked = (
            {"nhom": f"xa-{first_district.pk}"}
            if params.get("nhom") == "commune-of-first"
            else params
        )
        owner, entry = _draft(contest, unit=first_district)
        client.force_login(owner)
        counts.append(_queries(client, _url(entry), asked))

    assert counts[0] == counts[1]


def test_unit_step_fragment_query_count_same_at_3_and_300_units(client):
    counts = []
    for n in (1, 17):
        contest = open_contest()
        _units(contest, n)
        owner, entry = _draft(contest)
        client.force_login(owner)
        counts.append(_queries(client, _url(entry), {"phan": "ket-qua", "tim": "ubnd"}))

    assert counts[0] == counts[1]


def test_unit_search_ignores_diacritics_case_and_word_order(client):
    contest = open_contest()
    justice = UnitFactory(contest=contest, name="Sở Tư pháp")
    UnitFactory(contest=contest, name="Sở Tài chính")
    district, _communes = district_with_communes(contest, name="UBND huyện Tràng Định")
    UnitFactory(
        contest=contest, name="UBND xã Chi Lăng", unit_type=UnitType.COMMUNE, parent=district
    )
    owner, entry = _draft(contest)
    client.force_login(owner)

    found = {
        q: _radio_labels(client.get(_url(entry), {"tim": q}).content.decode())
        for q in ("tu phap", "SỞ TƯ", "phap so", "chi lang", "trang dinh xa thu 2", "đinh")
    }

    assert found == {
        "tu phap": [justice.name],
        "SỞ TƯ": [justice.name],
        "phap so": [justice.name],
        "chi lang": ["UBND xã Chi Lăng (UBND huyện Tràng Định)"],
        "trang dinh xa thu 2": ["UBND xã Thử 2 (UBND huyện Tràng Định)"],
        "đinh": [
            "UBND huyện Tràng Định",
            "UBND xã Chi Lăng (UBND huyện Tràng Định)",
            "UBND xã Thử 1 (UBND huyện Tràng Định)",
            "UBND xã Thử 2 (UBND huyện Tràng Định)",
        ],
    }


def test_unit_search_lists_at_most_the_limit_and_says_so(client):
    contest = open_contest()
    _units(contest, 8)  # 64 communes named "UBND xã …"
    owner, entry = _draft(contest)
    client.force_login(owner)

    html = client.get(_url(entry), {"tim": "xa"}).content.decode()

    assert len(_radio_labels(html)) == selectors.UNIT_SEARCH_LIMIT
    assert "Chỉ hiện 50 đơn vị đầu tiên; gõ thêm tên để thu hẹp." in html


def test_unit_group_lists_only_its_units_and_inactive_ones_never(client):
    contest = open_contest()
    UnitFactory(contest=contest, name="Sở Y tế")
    UnitFactory(contest=contest, name="Sở Cũ", is_active=False)
    UnitFactory(contest=contest, name="Hội Nông dân tỉnh", unit_type=UnitType.ORGANISATION)
    district, _communes = district_with_communes(contest, name="UBND huyện Cao Lộc")
    owner, entry = _draft(contest)
    client.force_login(owner)

    departments = _radio_labels(client.get(_url(entry), {"nhom": "department"}).content.decode())
    communes = _radio_labels(
        client.get(_url(entry), {"nhom": f"xa-{district.pk}"}).content.decode()
    )
    nothing_yet = _radio_labels(client.get(_url(entry)).content.decode())
    unknown = _radio_labels(client.get(_url(entry), {"nhom": "xa-abc"}).content.decode())

    assert (departments, communes, nothing_yet, unknown) == (
        ["Sở Y tế"],
        ["UBND xã Thử 1 (UBND huyện Cao Lộc)", "UBND xã Thử 2 (UBND huyện Cao Lộc)"],
        [],
        [],
    )


def test_unit_step_opens_on_the_saved_units_group_with_it_checked(client):
    contest = open_contest()
    _district, (commune, _other) = district_with_communes(contest, name="UBND huyện Lộc Bình")
    UnitFactory(contest=contest, name="Sở Nội vụ")
    owner, entry = _draft(contest, unit=commune)
    client.force_login(owner)

    html = client.get(_url(entry)).content.decode()

    assert _radio_labels(html) == [
        "UBND xã Thử 1 (UBND huyện Lộc Bình)",
        "UBND xã Thử 2 (UBND huyện Lộc Bình)",
    ]
    assert re.search(rf'id="unit-{commune.pk}" value="{commune.pk}" checked', html)


def test_unit_step_saved_unit_stays_offered_in_another_groups_list(client):
    contest = open_contest()
    justice = UnitFactory(contest=contest, name="Sở Tư pháp")
    UnitFactory(contest=contest, name="Hội Cựu chiến binh", unit_type=UnitType.ORGANISATION)
    owner, entry = _draft(contest, unit=justice)
    client.force_login(owner)

    html = client.get(_url(entry), {"nhom": "organisation"}).content.decode()

    assert _radio_labels(html) == ["Sở Tư pháp ", "Hội Cựu chiến binh"]
    assert re.search(rf'id="unit-{justice.pk}" value="{justice.pk}" checked', html)


def test_unit_step_post_saves_a_unit_that_was_not_listed(client):
    contest = open_contest()
    _units(contest, 3)
    wanted = Unit.objects.filter(contest=contest, unit_type=UnitType.COMMUNE).last()
    owner, entry = _draft(contest)
    client.force_login(owner)

    response = client.post(_url(entry), {"unit": str(wanted.pk), "action": "save"})

    entry.refresh_from_db()
    assert (response.status_code, entry.unit_id, entry.holder_id) == (302, wanted.pk, wanted.pk)


def test_unit_results_fragment_is_only_the_list(client):
    contest = open_contest()
    UnitFactory(contest=contest, name="Sở Tư pháp")
    owner, entry = _draft(contest)
    client.force_login(owner)

    html = client.get(_url(entry), {"phan": "ket-qua", "tim": "tu phap"}).content.decode()

    assert html.lstrip().startswith('<fieldset id="unit-options"')
    assert html.rstrip().endswith("</fieldset>")
    assert _radio_labels(html) == ["Sở Tư pháp"]
