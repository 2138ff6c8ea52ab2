"""Deadline edge (issue 7, item 6): submissions, edits and forwards one second before, at and
one second after a deadline in Asia/Ho_Chi_Minh, including an upload that starts before the
deadline and ends after it. The rule (docs/architecture.md, "Deadlines: which instant
decides"): on time strictly before the instant, and the instant that counts is the moment
the portal receives the request that does it (the final submit, the forward, the edit).

The clock is django.utils.timezone.now, the function the services read, replaced by a
Clock for each test; the services' own `at=` is left alone so the path a request takes is
the path tested."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest.models import Event
from submissions import services
from submissions.enums import EntryStatus, FilePurpose
from submissions.models import Entry, EntryFile, ForwardingBatch
from submissions.services import EntryNotReady
from submissions.workflow import TransitionRefused
from tests.factories import ContestFactory, UnitFactory, UserFactory
from tests.security.report import figure_write
from tests.submissions.intake_support import author, docx_upload, ready_draft
from tests.submissions.screening_setup import build_world, certified_entry, forward

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = dt.datetime(2025, 9, 15, 17, 0, tzinfo=VN)
SECOND = dt.timedelta(seconds=1)
LATE_SUBMIT = (
    "Đã hết hạn nhận bài của Sở Tư pháp. Hạn nộp là 17:00 ngày 15/09/2025 (giờ Việt Nam); "
    "bài phải được gửi trước thời điểm này."
)
LATE_EDIT = (
    "Đã hết hạn nhận bài của Sở Tư pháp nên không thể sửa bài nữa. Hạn nộp là 17:00 ngày "
    "15/09/2025 (giờ Việt Nam); bài chỉ được sửa trước thời điểm này."
)
LATE_FORWARD = (
    "Đã hết hạn gửi bài về Ban Tổ chức. Hạn gửi là 17:00 ngày 15/09/2025 (giờ Việt Nam); "
    "bài phải được gửi trước thời điểm này."
)
OFFSETS = pytest.mark.parametrize(
    ("offset", "on_time"), [(-1, True), (0, False), (1, False)], ids=["-1s", "0s", "+1s"]
)


class Clock:
    """Stands in for django.utils.timezone.now: each reading returns the next of the set
    instants, and the last one from then on (so a request can start before the deadline
    and finish after it)."""

    def __init__(self, at: dt.datetime):
        self._readings = [at]

    def set(self, *readings: dt.datetime) -> None:
        self._readings = list(readings)

    def __call__(self) -> dt.datetime:
        if len(self._readings) > 1:
            return self._readings.pop(0)
        return self._readings[0]


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock(DEADLINE - dt.timedelta(days=1))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def _contest():
    """Entries are taken (and forwarded) until 17:00 on 15/09/2025, Vietnam time."""
    return ContestFactory(
        intake_opens_at=dt.datetime(2025, 3, 1, tzinfo=VN),
        forwarding_deadline=DEADLINE,
        scoring_deadline=DEADLINE + dt.timedelta(days=30),
        results_deadline=DEADLINE + dt.timedelta(days=60),
    )


@pytest.fixture
def intake(clock):
    """A contest whose forwarding deadline (and so the unit's intake deadline) is 17:00 on
    15/09/2025, Vietnam time, and a complete draft made the day before."""
    contest = _contest()
    unit = UnitFactory(contest=contest, name="Sở Tư pháp")
    owner = UserFactory()
    entry = ready_draft(contest=contest, owner=owner, unit=unit, authors=[author("Lương Thị Mai")])
    return entry, owner


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _review_url(entry) -> str:
    return reverse("submissions:review", args=[entry.pk])


def _files_url(entry) -> str:
    return reverse("submissions:step", args=[entry.pk, "tep"])


# --- the entrant's final submit --------------------------------------------------------


@OFFSETS
def test_final_submit_around_the_deadline_is_decided_by_the_instant_it_arrives(
    intake, clock, offset, on_time
):
    # Arrange
    entry, owner = intake
    clock.set(DEADLINE + offset * SECOND)
    client = _client(owner)

    # Act
    response = client.post(_review_url(entry))

    # Assert
    entry.refresh_from_db()
    if on_time:
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("submissions:receipt", args=[entry.pk]),
        )
        assert (entry.status, entry.submitted_at) == (EntryStatus.SUBMITTED, DEADLINE - SECOND)
    else:
        assert (response.status_code, entry.status, entry.tracking_code) == (
            200,
            EntryStatus.DRAFT,
            None,
        )
        html = response.content.decode()
        assert LATE_SUBMIT in html
        # The banner gives the one reason, not "complete the items below".
        assert "Bài dự thi chưa gửi được: Đã hết hạn nhận bài của" in html
        assert "Vui lòng bổ sung các mục" not in html


def test_upload_started_before_the_deadline_and_finished_after_it_leaves_the_entry_late(
    intake, clock
):
    """The server sees an upload when its last byte has arrived (+1 s): a draft keeps the
    file, but the final submit after the deadline is late and the page says why."""
    # Arrange
    entry, owner = intake
    clock.set(DEADLINE + SECOND)
    client = _client(owner)

    # Act
    uploaded = client.post(
        _files_url(entry),
        {"form": "written", "main_document": docx_upload("ban-cuoi.docx", "Bản hoàn chỉnh")},
    )
    submitted = client.post(_review_url(entry))

    # Assert
    entry.refresh_from_db()
    main = EntryFile.objects.get(entry=entry, purpose=FilePurpose.MAIN)
    assert (uploaded.status_code, main.original_name) == (302, "ban-cuoi.docx")
    assert (submitted.status_code, entry.status) == (200, EntryStatus.DRAFT)
    assert LATE_SUBMIT in submitted.content.decode()


def test_submit_received_before_the_deadline_is_on_time_even_if_it_finishes_after(intake, clock):
    # Arrange: the clock reads 16:59:59 when the submit arrives, 17:00:02 from then on.
    entry, owner = intake
    clock.set(DEADLINE - SECOND, DEADLINE + 2 * SECOND)

    # Act
    submitted = services.entry_submit(entry=entry, by=owner)

    # Assert
    event = Event.objects.get(object_id=entry.pk, action="submitted")
    assert (submitted.status, submitted.submitted_at) == (
        EntryStatus.SUBMITTED,
        DEADLINE - SECOND,
    )
    assert event.at == DEADLINE + 2 * SECOND


# --- editing a submitted entry (allowed until the unit's deadline) ---------------------


@OFFSETS
def test_upload_to_a_submitted_entry_around_the_deadline(intake, clock, offset, on_time):
    # Arrange
    entry, owner = intake
    clock.set(DEADLINE - dt.timedelta(hours=2))
    services.entry_submit(entry=entry, by=owner)
    before = EntryFile.objects.get(entry=entry, purpose=FilePurpose.MAIN).original_name
    clock.set(DEADLINE + offset * SECOND)
    client = _client(owner)

    # Act
    response = client.post(
        _files_url(entry),
        {"form": "written", "main_document": docx_upload("ban-sua.docx", "Bản sửa")},
    )

    # Assert
    main = EntryFile.objects.get(entry=entry, purpose=FilePurpose.MAIN).original_name
    if on_time:
        assert (response.status_code, main) == (302, "ban-sua.docx")
    else:
        assert (response.status_code, main) == (200, before)
        assert LATE_EDIT in response.content.decode()


# --- the unit's forward to the secretariat ---------------------------------------------


@OFFSETS
def test_forward_around_the_deadline_is_decided_by_the_instant_it_arrives(clock, offset, on_time):
    # Arrange
    world = build_world(_contest())
    entry = certified_entry(world, world.dept_a)
    staff = world.staff(world.dept_a)
    clock.set(DEADLINE + offset * SECOND)
    client = _client(staff)

    # Act
    response = client.post(
        reverse("units:forward", args=[world.dept_a.pk]),
        {
            "channel": "ioffice",
            "dispatch_number": "88/STP-VP",
            "dispatch_date": "2025-09-15",
            "entries": [entry.pk],
        },
    )

    # Assert
    entry.refresh_from_db()
    if on_time:
        assert (response.status_code, entry.status) == (302, EntryStatus.FORWARDED)
        assert entry.forwarding_batch.forwarded_at == DEADLINE - SECOND
    else:
        assert (response.status_code, entry.status) == (400, EntryStatus.CERTIFIED)
        assert LATE_FORWARD in response.content.decode()
        assert ForwardingBatch.objects.count() == 0


# --- the rule as one table, for the report ---------------------------------------------


def test_deadline_rule_decides_every_edge_case(clock):
    """Every action at −1 s, 0 s and +1 s, and the two spanning cases, through the
    services with the clock at the instant the request arrives."""
    contest = _contest()
    unit = UnitFactory(contest=contest, name="Sở Tư pháp")
    world = build_world(contest)
    decided: list[tuple[str, bool, bool]] = []  # (case, expected on time, was on time)

    def draft(label: str):
        clock.set(DEADLINE - dt.timedelta(days=1))
        owner = UserFactory()
        entry = ready_draft(
            contest=contest, owner=owner, unit=unit, title=label, authors=[author(label)]
        )
        return entry, owner

    def attempt(action) -> bool:
        try:
            action()
        except (EntryNotReady, ValidationError, TransitionRefused):
            return False
        return True

    for offset in (-1, 0, 1):
        at = DEADLINE + offset * SECOND
        entry, owner = draft(f"Gửi bài lúc {offset:+d} giây")
        clock.set(at)
        decided.append(
            (
                f"gửi bài {offset:+d} s",
                offset < 0,
                attempt(lambda e=entry, o=owner: services.entry_submit(entry=e, by=o)),
            )
        )

        entry, owner = draft(f"Sửa bài lúc {offset:+d} giây")
        clock.set(DEADLINE - dt.timedelta(hours=1))
        services.entry_submit(entry=entry, by=owner)
        clock.set(at)
        decided.append(
            (
                f"sửa bài đã gửi {offset:+d} s",
                offset < 0,
                attempt(
                    lambda e=entry, o=owner: services.entry_file_add(
                        entry=e, by=o, upload=docx_upload(), purpose=FilePurpose.MAIN
                    )
                ),
            )
        )

        clock.set(DEADLINE - dt.timedelta(days=1))
        certified = certified_entry(world, world.dept_a)
        clock.set(at)
        decided.append(
            (
                f"gửi về Ban Tổ chức {offset:+d} s",
                offset < 0,
                attempt(lambda c=certified: forward(world, world.dept_a, [c], number="9/CV")),
            )
        )

    entry, owner = draft("Tải tệp trước hạn, xong sau hạn")
    clock.set(DEADLINE + SECOND)
    services.entry_file_add(entry=entry, by=owner, upload=docx_upload(), purpose=FilePurpose.MAIN)
    decided.append(
        (
            "tệp tải xong sau hạn, rồi gửi",
            False,
            attempt(lambda: services.entry_submit(entry=entry, by=owner)),
        )
    )
    entry, owner = draft("Bấm gửi trước hạn, xử lý xong sau hạn")
    clock.set(DEADLINE - SECOND, DEADLINE + 2 * SECOND)
    decided.append(
        (
            "bấm gửi trước hạn, xong sau hạn",
            True,
            attempt(lambda: services.entry_submit(entry=entry, by=owner)),
        )
    )

    wrong = [case for case, expected, got in decided if expected != got]
    figure_write(
        "deadline_edge",
        title="Hạn chót (Asia/Ho_Chi_Minh): −1 s, 0 s, +1 s và tải tệp vắt qua hạn",
        rows=[
            ("Trường hợp kiểm tra", len(decided)),
            ("Được nhận (đúng hạn)", sum(got for _c, _e, got in decided)),
            ("Bị từ chối (quá hạn)", sum(not got for _c, _e, got in decided)),
            ("Quyết định sai so với quy tắc", len(wrong)),
        ],
        ok=not wrong,
    )
    assert wrong == []
    assert (
        Entry.objects.filter(status=EntryStatus.SUBMITTED, submitted_at__gte=DEADLINE).count() == 0
    )
