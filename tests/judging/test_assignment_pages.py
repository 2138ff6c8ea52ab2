"""The secretariat's assignment page and the conflict pages at national size: one page of
entries at a time (the matrix of every entry × every judge is gone), entries found by code or
title, the contest-wide totals counted once and kept for PORTAL_TOTALS_CACHE_SECONDS
(forgotten at once after the secretariat's own changes), and the author-name check on the
entries shown."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest.enums import Role
from judging.enums import SheetStatus
from judging.models import Assignment, Conflict, ScoreSheet
from judging.services.jury import judging_settings_for
from tests.factories import UserFactory, accepted_entry, grant, judge_user, judging_contest
from tests.pages import counted_get

pytestmark = pytest.mark.django_db


def _contest(entries: int, judges: int = 3):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    panel = [judge_user(contest, full_name=f"Giám Khảo {i:02d}") for i in range(judges)]
    made = [accepted_entry(contest, title=f"Giải pháp số {i:03d}") for i in range(entries)]
    return contest, secretariat, panel, made


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("judging:assignments", {}),
        ("judging:assignments", {"q": "Giải pháp", "page": "2"}),
        ("judging:secretariat_conflicts", {}),
        ("judging:secretariat_conflicts", {"q": "số 0"}),
    ],
)
def test_query_count_same_at_30_and_80_entries(client, name, params):
    counts = []
    for n in (30, 80):
        contest, secretariat, panel, entries = _contest(n)
        Assignment.objects.bulk_create(
            Assignment(contest=contest, entry=e, judge=j, round="written")
            for e in entries
            for j in panel[:2]
        )
        Conflict.objects.create(
            contest=contest,
            judge=panel[2],
            entry=entries[0],
            reason="other",
            declared_by=secretariat,
        )
        client.force_login(secretariat)
        count, _html = counted_get(client, reverse(name, args=[contest.slug]), params)
        counts.append(count)

    assert counts[0] == counts[1]


def test_judge_conflict_page_query_count_same_at_30_and_80_entries(client):
    counts = []
    for n in (30, 80):
        contest, _secretariat, panel, _entries = _contest(n)
        client.force_login(panel[0])
        count, _html = counted_get(client, reverse("judging:conflicts", args=[contest.slug]))
        counts.append(count)

    assert counts[0] == counts[1]


def test_assignment_page_shows_one_page_of_entries_with_their_judges(client):
    contest, secretariat, panel, entries = _contest(30)
    Assignment.objects.create(contest=contest, entry=entries[0], judge=panel[1], round="written")
    ScoreSheet.objects.create(
        contest=contest,
        entry=entries[0],
        judge=panel[1],
        status=SheetStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Assignment.objects.create(contest=contest, entry=entries[0], judge=panel[2], round="written")
    Conflict.objects.create(
        contest=contest,
        judge=panel[0],
        entry=entries[0],
        reason="colleague",
        declared_by=secretariat,
    )
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])

    html = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()

    assert len(re.findall(r'<th scope="row">CC25-', html)) == 25
    assert len(re.findall(r'<th scope="row">CC25-', second)) == 5
    first_row = html.split(f'<th scope="row">{entries[0].tracking_code}<br>')[1].split("</tr>")[0]
    assert "Giám Khảo 01 – đã nộp" in first_row
    # A submitted sheet cannot lose its assignment; the other one can.
    assert first_row.count('name="action" value="remove"') == 1
    assert "Giám Khảo 00: Đồng nghiệp của tác giả" in first_row
    assert "Bảng phân công: 30 bài dự thi" in html


def test_assignment_page_finds_an_entry_by_code_or_title(client):
    contest, secretariat, _panel, entries = _contest(12)
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])

    by_title = client.get(url, {"q": "số 007"}).content.decode()
    by_code = client.get(url, {"q": entries[3].tracking_code.lower()}).content.decode()
    nothing = client.get(url, {"q": "không có bài này"}).content.decode()

    assert re.findall(r'<th scope="row">(CC25-\w+)', by_title) == [entries[7].tracking_code]
    assert re.findall(r'<th scope="row">(CC25-\w+)', by_code) == [entries[3].tracking_code]
    assert "Không có bài dự thi nào phù hợp." in nothing


def test_manual_assignment_by_code(client):
    contest, secretariat, panel, entries = _contest(3)
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])

    response = client.post(
        url, {"action": "add", "entry": entries[1].tracking_code.lower(), "judge": panel[0].pk}
    )

    assert response.status_code == 302
    assert list(Assignment.objects.values_list("entry_id", "judge_id")) == [
        (entries[1].pk, panel[0].pk)
    ]


def test_manual_assignment_unknown_code_keeps_what_was_typed(client):
    contest, secretariat, panel, _entries = _contest(3)
    other = accepted_entry(judging_contest())  # another contest's entry
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])

    for code in ("CC25-KHONG-COBAI", other.tracking_code):
        response = client.post(url, {"action": "add", "entry": code, "judge": panel[0].pk})
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Không có bài dự thi mã “{code}” ở vòng chấm." in html
        assert f'value="{code}"' in html
    assert not Assignment.objects.exists()


def test_manual_assignment_refuses_a_conflict_with_its_reason(client):
    contest, secretariat, panel, entries = _contest(2)
    Conflict.objects.create(
        contest=contest,
        judge=panel[0],
        entry=entries[0],
        reason="relative",
        declared_by=secretariat,
    )
    client.force_login(secretariat)

    response = client.post(
        reverse("judging:assignments", args=[contest.slug]),
        {"action": "add", "entry": entries[0].tracking_code, "judge": panel[0].pk},
    )

    assert "Không thể phân công: giám khảo có xung đột lợi ích với bài này" in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_add_link_fills_the_code_in(client):
    contest, secretariat, _panel, entries = _contest(2)
    client.force_login(secretariat)

    html = client.get(
        reverse("judging:assignments", args=[contest.slug]), {"ma": entries[1].tracking_code}
    ).content.decode()

    assert f'name="entry" value="{entries[1].tracking_code}"' in html


def test_author_name_in_the_content_is_flagged_on_its_page(client):
    contest, secretariat, _panel, entries = _contest(30)
    leaking = entries[2]
    name = leaking.authors.first().full_name
    leaking.summary = f"Sáng kiến do {name} đề xuất tại bộ phận một cửa."
    leaking.save(update_fields=["summary"])
    late = entries[29]  # on the second page
    late_name = late.authors.first().full_name
    late.solution = f"Nhóm {late_name} đã thử nghiệm."
    late.save(update_fields=["solution"])
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()

    assert f"{leaking.tracking_code}: «{name}» trong nội dung bài" in first
    assert late.tracking_code + ": «" not in first
    assert f"{late.tracking_code}: «{late_name}» trong nội dung bài" in second


def test_judge_declares_a_conflict_from_a_searched_list(client):
    contest, _secretariat, panel, entries = _contest(60)
    client.force_login(panel[0])
    url = reverse("judging:conflicts", args=[contest.slug])

    listed = client.get(url).content.decode()
    searched = client.get(url, {"q": "số 055"}).content.decode()
    # Any judgeable entry may be declared, also one not on the page shown.
    response = client.post(url, {"entry": entries[55].pk, "reason": "colleague", "note": ""})

    assert len(re.findall(r'<option value="\d+"', listed.split('name="entry"')[1])) > 0
    assert f'<option value="{entries[55].pk}"' not in listed
    assert f'<option value="{entries[55].pk}"' in searched
    assert response.status_code == 302
    assert Conflict.objects.get().entry == entries[55]


def test_judge_cannot_declare_for_another_contests_entry(client):
    contest, _secretariat, panel, _entries = _contest(2)
    foreign = accepted_entry(judging_contest())
    client.force_login(panel[0])

    response = client.post(
        reverse("judging:conflicts", args=[contest.slug]),
        {"entry": foreign.pk, "reason": "colleague", "note": "ghi chú của tôi"},
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vui lòng chọn một bài dự thi trong danh sách." in html
    assert "ghi chú của tôi" in html
    assert not Conflict.objects.exists()


def test_progress_totals_are_kept_until_the_secretariat_changes_something(
    client, totals_cache, django_capture_on_commit_callbacks
):
    contest, secretariat, panel, entries = _contest(4)
    Assignment.objects.bulk_create(
        Assignment(contest=contest, entry=e, judge=panel[0], round="written") for e in entries
    )
    client.force_login(secretariat)
    url = reverse("judging:progress", args=[contest.slug])
    assert '<dd class="h5 mb-0">0/4</dd>' in client.get(url).content.decode()

    # A judge submits: the counted totals stay (for at most the cache's 30 s) ...
    ScoreSheet.objects.create(
        contest=contest,
        entry=entries[0],
        judge=panel[0],
        status=SheetStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    with CaptureQueriesContext(connection) as cached:
        kept = client.get(url).content.decode()
    assert '<dd class="h5 mb-0">0/4</dd>' in kept
    assert "Số liệu tổng hợp lúc" in kept

    # ... and the secretariat's own change counts them again at once.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:assignments", args=[contest.slug]),
            {"action": "add", "entry": entries[1].tracking_code, "judge": panel[1].pk},
        )
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as counted:
        fresh = client.get(url).content.decode()
    assert '<dd class="h5 mb-0">1/5</dd>' in fresh
    assert len(counted) > len(cached)


def test_assignment_totals_follow_the_number_of_judges_per_entry(client, totals_cache):
    contest, secretariat, panel, entries = _contest(3)
    Assignment.objects.bulk_create(
        Assignment(contest=contest, entry=entries[0], judge=j, round="written") for j in panel
    )
    client.force_login(secretariat)
    url = reverse("judging:assignments", args=[contest.slug])
    settings_ = judging_settings_for(contest=contest)

    settings_.judges_per_entry = 3
    settings_.save()
    three = client.get(url).content.decode()
    settings_.judges_per_entry = 1
    settings_.save()
    one = client.get(url).content.decode()

    short = re.compile(r"Bài chưa đủ giám khảo</dt><dd class=\"h5 mb-0\">(\d+)</dd>")
    assert short.search(three).group(1) == "2"
    assert short.search(one).group(1) == "2"  # entries 1 and 2 still have no judge
    settings_.judges_per_entry = 4
    settings_.save()
    assert short.search(client.get(url).content.decode()).group(1) == "3"


def test_judge_queue_shows_one_page_in_the_judges_order_and_can_hide_done_entries(client):
    contest, _secretariat, panel, entries = _contest(60)
    judge = panel[0]
    Assignment.objects.bulk_create(
        Assignment(contest=contest, entry=e, judge=judge, round="written") for e in entries
    )
    ScoreSheet.objects.bulk_create(
        ScoreSheet(
            contest=contest,
            entry=e,
            judge=judge,
            status=SheetStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for e in entries[:55]
    )
    client.force_login(judge)
    url = reverse("judging:queue", args=[contest.slug])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    left = client.get(url, {"con-lai": "1"}).content.decode()

    link = re.compile(r'href="/cham-thi/[^/]+/giam-khao/bai/(\d+)/"')
    shown = [int(x) for x in link.findall(first) + link.findall(second)]
    assert len(link.findall(first)) == 50
    assert sorted(shown) == sorted(e.pk for e in entries)  # every entry once, over two pages
    assert "Đã nộp 55/60 phiếu; còn 5 bài." in first
    assert sorted(int(x) for x in link.findall(left)) == sorted(e.pk for e in entries[55:])
    # The number is the entry's place in the judge's whole list, also on page 2.
    assert "<td>51</td>" in second
