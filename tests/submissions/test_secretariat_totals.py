"""The secretariat's contest-wide counts (the intake's counts by status, the compliance
board's per-unit counts) are kept for PORTAL_TOTALS_CACHE_SECONDS and say when they were
counted; the secretariat's own decisions and a unit's forwarding, selection or explanation
count them again at once. Also: the intake's duplicate check and its text key."""

import random
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.enums import Role
from submissions import screening
from submissions.enums import EntryStatus as S
from submissions.models import Entry
from submissions.selectors_screening import text_key
from tests.factories import UserFactory, grant
from tests.submissions.screening_setup import (
    build_world,
    certified_entry,
    forward,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


def _secretary(world):
    user = UserFactory()
    grant(user, world.contest, Role.SECRETARIAT)
    return user


def _counted(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _intake_counts(html: str) -> tuple[int, int, int]:
    """(waiting, accepted, returned) as the intake's badges show them."""
    return tuple(
        int(re.search(rf"{label}: <strong>(\d+)</strong>", html).group(1))
        for label in ("Đã gửi về Ban Tổ chức", "Hợp lệ, vào vòng chấm", "Không hợp lệ")
    )


def _board_row(html: str, unit) -> tuple[str, list[int]]:
    """The row's status and its received, selected and forwarded counts."""
    match = re.search(rf'<tr data-unit="{unit.pk}" data-status="(\w+)">(.*?)</tr>', html, re.S)
    return match.group(1), [int(n) for n in re.findall(r"<td>(\d+)</td>", match.group(2))[-3:]]


def test_intake_counts_are_kept_until_the_secretariat_decides(
    client, totals_cache, django_capture_on_commit_callbacks
):
    world = build_world()
    entries = [certified_entry(world, world.dept_a) for _ in range(4)]
    forward(world, world.dept_a, entries)
    client.force_login(_secretary(world))
    url = reverse("secretariat:intake", args=[world.contest.pk])
    first_count, first = _counted(client, url)
    assert _intake_counts(first) == (4, 0, 0)

    # A change made elsewhere (not through the intake's services): the counts stay, for at
    # most the cache's 30 s, and one query fewer is made; the list itself is read live.
    Entry.objects.filter(pk=entries[0].pk).update(status=S.ACCEPTED)
    cached_count, kept = _counted(client, url)
    assert _intake_counts(kept) == (4, 0, 0)
    assert "Số liệu tổng hợp lúc" in kept
    assert entries[0].tracking_code not in kept
    assert cached_count == first_count - 1

    # The secretariat's own decisions count them again at once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("secretariat:entry_accept", args=[world.contest.pk, entries[1].pk]))
    assert _intake_counts(_counted(client, url)[1]) == (2, 2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("secretariat:entry_return", args=[world.contest.pk, entries[2].pk]),
            {"reason": "Không đúng lĩnh vực."},
        )
    assert _intake_counts(_counted(client, url)[1]) == (1, 2, 1)


def test_a_units_forwarding_shows_at_once_on_the_intake_and_the_board(
    client, totals_cache, django_capture_on_commit_callbacks
):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    client.force_login(_secretary(world))
    intake = reverse("secretariat:intake", args=[world.contest.pk])
    board = reverse("secretariat:compliance", args=[world.contest.pk])
    assert _intake_counts(_counted(client, intake)[1]) == (0, 0, 0)
    assert _board_row(_counted(client, board)[1], world.dept_a) == ("missing", [1, 1, 0])

    with django_capture_on_commit_callbacks(execute=True):
        forward(world, world.dept_a, [entry])

    assert _intake_counts(_counted(client, intake)[1]) == (1, 0, 0)
    assert _board_row(_counted(client, board)[1], world.dept_a) == ("met", [1, 1, 1])


def test_compliance_board_is_kept_until_a_unit_selects_or_explains(
    client, totals_cache, django_capture_on_commit_callbacks
):
    world = build_world()
    client.force_login(_secretary(world))
    url = reverse("secretariat:compliance", args=[world.contest.pk])
    first_count, first = _counted(client, url)
    assert _board_row(first, world.dept_b) == ("missing", [0, 0, 0])

    # An entrant's submission is counted within the cache's 30 s, not at once.
    entry = submitted_entry(world.dept_b)
    cached_count, kept = _counted(client, url)
    assert _board_row(kept, world.dept_b) == ("missing", [0, 0, 0])
    assert "Số liệu tổng hợp lúc" in kept
    assert cached_count == first_count - 2  # the quota rules and the units' counts

    screening.entry_screening_start(entry=entry, by=world.staff(world.dept_b))
    with django_capture_on_commit_callbacks(execute=True):
        screening.entry_select(entry=entry, by=world.staff(world.dept_b))
    assert _board_row(_counted(client, url)[1], world.dept_b) == ("missing", [1, 1, 0])

    with django_capture_on_commit_callbacks(execute=True):
        screening.explanation_letter_file(
            unit=world.dept_b,
            by=world.staff(world.dept_b),
            reason="Đơn vị không có ý tưởng đạt yêu cầu.",
            document=SimpleUploadedFile("giai-trinh.pdf", b"%PDF-1.4 test", "application/pdf"),
        )
    assert _board_row(_counted(client, url)[1], world.dept_b) == ("explained", [1, 1, 0])


def test_board_summary_counts_the_filtered_rows_from_the_kept_counts(client, totals_cache):
    world = build_world()
    forward(world, world.dept_a, [certified_entry(world, world.dept_a)])
    client.force_login(_secretary(world))
    url = reverse("secretariat:compliance", args=[world.contest.pk])
    client.get(url)

    html = client.get(url, {"type": "department"}).content.decode()
    missing = client.get(url, {"status": "missing", "sort": "-name"}).content.decode()

    assert "Đạt chỉ tiêu: <strong>1</strong>" in html
    assert "Chưa đủ, chưa có văn bản giải trình: <strong>1</strong>" in html
    assert re.findall(r'<tr data-unit="(\d+)"', missing) == [
        str(world.district.pk),
        str(world.dept_b.pk),
    ]


def test_intake_duplicate_check_names_each_other_entry_once_and_skips_the_same_unit(client):
    world = build_world()
    shown = certified_entry(
        world, world.dept_a, title="Số hóa hồ sơ đất đai", authors=("Lê Văn An", "Hà Thị Bình")
    )
    forward(world, world.dept_a, [shown])
    # Both authors in common: named once. Same unit: not a duplicate. Another title: neither.
    submitted_entry(
        world.dept_b, title="SỐ HOÁ hồ sơ, đất đai!", authors=("Hà Thị Bình", "Lê Văn An")
    )
    submitted_entry(world.dept_a, title="Số hóa hồ sơ đất đai", authors=("Lê Văn An",))
    submitted_entry(world.organisation, title="Số hóa hồ sơ nhà ở", authors=("Lê Văn An",))
    withdrawn = submitted_entry(
        world.district, title="Số hóa hồ sơ đất đai", authors=("Lê Văn An",)
    )
    Entry.objects.filter(pk=withdrawn.pk).update(status=S.WITHDRAWN)
    client.force_login(_secretary(world))

    html = client.get(reverse("secretariat:intake", args=[world.contest.pk])).content.decode()

    assert html.count("Có thể trùng bài") == 1
    assert "gửi qua Sở Y tế (cùng tên bài, cùng tác giả)" in html


def _reference_text_key(value: str) -> str:
    """The key as first written: what the fast one must keep giving."""
    value = (value or "").replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", value.casefold()).strip()


def test_text_key_ignores_case_spacing_punctuation_and_diacritics():
    assert text_key("SỐ HOÁ  hồ sơ đất đai") == text_key("Số hóa hồ sơ đất đai")
    assert text_key("Đường dây nóng: 1022!") == "duong day nong 1022"
    assert text_key("Hoa\u0300 (decomposed)") == "hoa decomposed"
    assert text_key("") == text_key(None) == ""


def test_text_key_is_the_reference_key_for_any_text():
    rnd = random.Random(2025)
    samples = ["Ωmega", "a\u034fb", "İstanbul ß ﬁ ǅ", "\x0b\x1c tab\tend", "ＡＢＣ １２３"]
    for _ in range(3000):
        top = rnd.choice([0x80, 0x250, 0x3000, 0x11000])
        samples.append("".join(chr(rnd.randrange(0, top)) for _ in range(rnd.randrange(12))))
    assert [text_key(s) for s in samples] == [_reference_text_key(s) for s in samples]
