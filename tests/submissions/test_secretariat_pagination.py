"""The secretariat's pages at national size: the intake list and the compliance board show
one page at a time, at a cost that does not grow with the number of entries or units, keep
their filters in the page links, and their actions bring the secretariat back to the page
they were taken from."""

import datetime as dt
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.enums import Role
from submissions.enums import EntryStatus as S
from submissions.models import Entry, ForwardingBatch
from submissions.selectors_screening import INTAKE_PAGE_SIZE as PAGE
from tests.factories import (
    AuthorFactory,
    EntryFactory,
    UnitFactory,
    UserFactory,
    grant,
)
from tests.pages import counted_get
from tests.submissions.screening_setup import open_contest

pytestmark = pytest.mark.django_db
_codes = itertools.count(1)


def _secretary(contest):
    user = UserFactory()
    grant(user, contest, Role.SECRETARIAT)
    return user


def _forwarded(contest, n: int, *, batches: int = 3, statuses=(S.FORWARDED,)):
    """n forwarded entries spread over `batches` dispatches of different units, each entry
    with an author (the intake's warnings read them). Test data written directly: the
    workflow that leads here has its own tests."""
    staff = UserFactory()
    made = []
    for b in range(batches):
        unit = UnitFactory(contest=contest, name=f"Sở Gửi {b}")
        batch = ForwardingBatch.objects.create(
            contest=contest,
            unit=unit,
            channel="ioffice",
            dispatch_number=f"{b + 1:02d}/CV",
            dispatch_date=timezone.localdate(),
            created_by=staff,
            forwarded_at=timezone.now() - dt.timedelta(hours=batches - b),
        )
        for i in range(b, n, batches):
            entry = EntryFactory(
                contest=contest,
                unit=unit,
                holder=unit,
                status=statuses[i % len(statuses)],
                tracking_code=f"CC25-P{next(_codes):05d}",
                submitted_at=timezone.now(),
                forwarding_batch=batch,
                title=f"Giải pháp gửi về số {i}",
            )
            AuthorFactory(entry=entry, full_name=f"Tác Giả {i}")
            made.append(entry)
    return made


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "all", "sort": "batch"}, {"q": "CC25", "page": "2"}],
    ids=["waiting", "all-oldest-first", "search-page-2"],
)
def test_intake_query_count_same_at_5_and_60_entries(client, params):
    counts = []
    for n in (5, 60):
        contest = open_contest()
        _forwarded(contest, n, statuses=(S.FORWARDED, S.FORWARDED, S.ACCEPTED))
        client.force_login(_secretary(contest))
        count, _html = counted_get(client, reverse("secretariat:intake", args=[contest.pk]), params)
        counts.append(count)

    assert counts[0] == counts[1]


def test_intake_shows_one_page_with_totals_from_the_whole_set(client):
    contest = open_contest()
    waiting = 2 * PAGE + 10
    _forwarded(contest, 2 * waiting, statuses=(S.FORWARDED, S.FORWARDED, S.ACCEPTED, S.INELIGIBLE))
    client.force_login(_secretary(contest))

    _count, html = counted_get(client, reverse("secretariat:intake", args=[contest.pk]))

    shown = re.findall(r'<h3 id="entry-\d+"', html)
    assert len(shown) == PAGE  # of the waiting ones
    assert "Trang 1/3" in html
    assert f"Đã gửi về Ban Tổ chức: <strong>{waiting}</strong>" in html
    assert f"Hợp lệ, vào vòng chấm: <strong>{waiting // 2}</strong>" in html
    assert f"Không hợp lệ: <strong>{waiting // 2}</strong>" in html


def test_intake_page_links_keep_filters_and_sort(client):
    contest = open_contest()
    _forwarded(contest, 2 * PAGE + 10, statuses=(S.FORWARDED, S.ACCEPTED))
    category = contest.categories.order_by("position").first()
    client.force_login(_secretary(contest))
    url = reverse("secretariat:intake", args=[contest.pk])

    _count, html = counted_get(
        client, url, {"status": "all", "category": category.pk, "sort": "batch"}
    )

    assert "Trang 1/3" in html
    assert f'href="?status=all&amp;category={category.pk}&amp;sort=batch&amp;page=2"' in html
    assert f'href="?status=all&amp;category={category.pk}&amp;sort=batch&amp;page=3"' in html


def test_intake_second_page_continues_where_the_first_stopped(client):
    contest = open_contest()
    entries = _forwarded(contest, PAGE + 10, batches=1)
    client.force_login(_secretary(contest))
    url = reverse("secretariat:intake", args=[contest.pk])

    pages = [
        re.findall(r'<span class="font-monospace">([^<]+)</span>', counted_get(client, url, p)[1])
        for p in ({}, {"page": "2"})
    ]

    assert pages[0] + pages[1] == sorted(e.tracking_code for e in entries)
    assert (len(pages[0]), len(pages[1])) == (PAGE, 10)


def test_intake_search_and_category_filter_use_the_whole_set(client):
    contest = open_contest()
    entries = _forwarded(contest, 60)
    wanted = entries[-1]
    client.force_login(_secretary(contest))
    url = reverse("secretariat:intake", args=[contest.pk])

    _count, found = counted_get(client, url, {"q": wanted.tracking_code})
    _count, legacy_all = counted_get(client, url, {"all": "1", "q": wanted.tracking_code})

    codes = re.findall(r'<span class="font-monospace">([^<]+)</span>', found)
    assert codes == [wanted.tracking_code]
    assert re.findall(r'<span class="font-monospace">([^<]+)</span>', legacy_all) == codes


def test_intake_accept_on_page_2_comes_back_to_page_2_with_filters(client):
    contest = open_contest()
    entries = _forwarded(contest, PAGE + 10, batches=1)
    client.force_login(_secretary(contest))
    last = max(entries, key=lambda e: e.tracking_code)

    response = client.post(
        reverse("secretariat:entry_accept", args=[contest.pk, last.pk]),
        {"back": "status=forwarded&page=2&q=CC25&next=https://example.com/"},
    )

    last.refresh_from_db()
    assert last.status == S.ACCEPTED
    assert response.status_code == 302
    assert response.url == (
        reverse("secretariat:intake", args=[contest.pk]) + "?status=forwarded&q=CC25&page=2"
    )


def test_intake_return_without_reason_shows_the_form_on_its_page(client):
    contest = open_contest()
    entries = _forwarded(contest, PAGE + 10, batches=1)
    client.force_login(_secretary(contest))
    last = max(entries, key=lambda e: e.tracking_code)

    response = client.post(
        reverse("secretariat:entry_return", args=[contest.pk, last.pk]),
        {"reason": "", "back": "page=2"},
    )

    html = response.content.decode()
    last.refresh_from_db()
    assert (response.status_code, last.status) == (400, S.FORWARDED)
    assert "Trang 2/2" in html
    assert re.search(rf"<details open>\s*<summary>[^<]*</summary>\s*<form[^>]*/{last.pk}/", html)


def test_intake_accepting_the_last_waiting_entry_of_a_page_still_answers(client):
    contest = open_contest()
    entries = _forwarded(contest, PAGE + 1, batches=1)
    client.force_login(_secretary(contest))
    last = max(entries, key=lambda e: e.tracking_code)
    client.post(reverse("secretariat:entry_accept", args=[contest.pk, last.pk]), {"back": "page=2"})

    _count, html = counted_get(
        client, reverse("secretariat:intake", args=[contest.pk]), {"page": "2"}
    )

    assert len(re.findall(r'<h3 id="entry-\d+"', html)) == PAGE  # the last page there is


def test_intake_warns_about_a_duplicate_outside_the_page(client):
    contest = open_contest()
    entries = _forwarded(contest, PAGE + 10, batches=1)
    shown = min(entries, key=lambda e: e.tracking_code)
    Entry.objects.filter(pk=shown.pk).update(title="Số hóa hồ sơ đất đai")
    other_unit = UnitFactory(contest=contest, name="UBND huyện Văn Lãng")
    twin = EntryFactory(
        contest=contest,
        unit=other_unit,
        holder=other_unit,
        status=S.SUBMITTED,
        tracking_code="CC25-TWIN-0001",
        submitted_at=timezone.now(),
        title="SỐ HOÁ  hồ sơ đất đai",
    )
    AuthorFactory(entry=twin, full_name=shown.authors.get().full_name)
    client.force_login(_secretary(contest))

    _count, html = counted_get(client, reverse("secretariat:intake", args=[contest.pk]))

    assert "Có thể trùng bài CC25-TWIN-0001 gửi qua UBND huyện Văn Lãng" in html


@pytest.mark.parametrize("n_units", [5, 60])
def test_compliance_board_query_count_same_at_5_and_60_units(client, n_units):
    contest = open_contest()
    for i in range(n_units):
        UnitFactory(contest=contest, name=f"Sở Chỉ tiêu {i:02d}")
    client.force_login(_secretary(contest))

    count, html = counted_get(
        client, reverse("secretariat:compliance", args=[contest.pk]), {"type": "department"}
    )

    assert count == BOARD_QUERIES
    assert len(re.findall(r"<tr data-unit=", html)) == min(n_units, 50)


BOARD_QUERIES = 6


def test_compliance_board_pages_keep_the_filters(client):
    contest = open_contest()
    for i in range(60):
        UnitFactory(contest=contest, name=f"Sở Chỉ tiêu {i:02d}")
    client.force_login(_secretary(contest))
    url = reverse("secretariat:compliance", args=[contest.pk])

    _count, first = counted_get(client, url, {"type": "department", "sort": "-name"})
    _count, second = counted_get(client, url, {"type": "department", "sort": "-name", "page": "2"})

    assert "Trang 1/2" in first
    assert 'href="?type=department&amp;sort=-name&amp;page=2"' in first
    names = re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>', first + second)
    assert names == [f"Sở Chỉ tiêu {i:02d}" for i in reversed(range(60))]
