import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contest.enums import Role
from submissions.enums import EntryStatus
from submissions.lookup import entry_lookup, tracking_code_normalize
from submissions.workflow import entry_transition
from tests.factories import (
    AuthorFactory,
    ContestFactory,
    EntryFactory,
    UnitFactory,
    UserFactory,
    grant,
    submit_entry,
)

NOT_FOUND = "Không tìm thấy bài dự thi với mã và số điện thoại này."
LIMITED = "việc tra cứu tạm dừng"
CODE = "CC25-7K3M-9QXH"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live_contest(db):
    now = timezone.now()
    return ContestFactory(
        intake_opens_at=now - dt.timedelta(days=30),
        forwarding_deadline=now + dt.timedelta(days=30),
        scoring_deadline=now + dt.timedelta(days=60),
        results_deadline=now + dt.timedelta(days=90),
    )


@pytest.fixture
def entry(live_contest):
    unit = UnitFactory(contest=live_contest, name="UBND huyện Cao Lộc")
    owner = UserFactory(full_name="Lăng Văn Chủ Bài", email="chubai@example.vn")
    entry = EntryFactory(
        contest=live_contest, unit=unit, owner=owner, title="Giải pháp một cửa liên thông"
    )
    AuthorFactory(
        entry=entry,
        full_name="Lăng Văn Chủ Bài",
        phone="0912345678",
        email="chubai@example.vn",
        user=owner,
        is_representative=True,
    )
    return submit_entry(entry, code=CODE)


def _post(client, code, last4, ip="10.0.0.1"):
    return client.post(reverse("lookup"), {"code": code, "phone_last4": last4}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cc25-7k3m-9qxh", "CC257K3M9QXH"),
        ("  CC25 7K3M 9QXH ", "CC257K3M9QXH"),
        ("CC25–7K3M", "CC25–7K3M"),  # an en dash is not a dash the code uses
        ("", ""),
    ],
)
def test_tracking_code_normalize_cases(raw, expected):
    assert tracking_code_normalize(raw) == expected


def test_lookup_get_shows_form(client, db):
    response = client.get(reverse("lookup"))

    assert response.status_code == 200
    assert "4 số cuối điện thoại của người đại diện" in response.content.decode()


def test_lookup_success_with_loose_code_shows_public_status(client, entry, live_contest):
    deadline = timezone.localtime(live_contest.forwarding_deadline)

    response = _post(client, " cc25 7k3m-9qxh ", "5678")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"].tracking_code == CODE
    assert response.context["result"].status_label == "Đã gửi, chờ sơ loại"
    assert response.context["result"].holder_name == "UBND huyện Cao Lộc"
    assert response.context["result"].next_deadline.at == live_contest.forwarding_deadline
    assert f"{deadline:%H:%M} ngày {deadline:%d/%m/%Y}" in html
    assert [s.text for s in response.context["result"].steps] == [
        "Đã gửi bài đến UBND huyện Cao Lộc"
    ]
    assert response["Cache-Control"].startswith("max-age=0")


def test_lookup_after_forwarding_shows_organizer_and_scoring_deadline(entry, live_contest):
    staff, head = UserFactory(), UserFactory()
    grant(staff, live_contest, Role.UNIT_STAFF, entry.unit)
    grant(head, live_contest, Role.UNIT_HEAD, entry.unit)
    for to, by in [
        (EntryStatus.SCREENING, staff),
        (EntryStatus.SELECTED, staff),
        (EntryStatus.CERTIFIED, head),
        (EntryStatus.FORWARDED, staff),
    ]:
        entry_transition(entry=entry, to=to, by=by)

    result = entry_lookup(code=CODE, phone_last4="5678", client_ip="10.0.0.1")

    assert result.holder_name == "Ban Tổ chức (Sở Nội vụ)"
    assert result.status_label == "Đã gửi về Ban Tổ chức"
    assert result.next_deadline.at == live_contest.scoring_deadline
    assert [s.text for s in result.steps][-1] == (
        "UBND huyện Cao Lộc đã gửi bài về Ban Tổ chức (Sở Nội vụ)"
    )


def test_lookup_after_deadline_passed_has_no_next_deadline(entry, live_contest):
    later = live_contest.forwarding_deadline + dt.timedelta(seconds=1)

    result = entry_lookup(code=CODE, phone_last4="5678", client_ip="10.0.0.1", now=later)

    assert result.next_deadline is None


def test_lookup_wrong_code_and_wrong_phone_give_same_answer(client, entry):
    wrong_code = _post(client, "CC25-AAAA-BBBB", "5678")
    wrong_phone = _post(client, CODE, "1234")

    assert wrong_code.status_code == wrong_phone.status_code == 200
    assert wrong_code.context["not_found"] is True
    assert wrong_phone.context["not_found"] is True
    assert wrong_code.context["result"] is None
    assert wrong_phone.context["result"] is None
    assert NOT_FOUND in wrong_code.content.decode()
    assert NOT_FOUND in wrong_phone.content.decode()


def test_lookup_draft_is_never_found(client, live_contest):
    draft = EntryFactory(contest=live_contest, tracking_code=None)
    AuthorFactory(entry=draft, phone="0912000111")

    response = _post(client, "", "0111")

    assert response.context["result"] is None


def test_lookup_invalid_phone_shape_shows_field_error(client, entry):
    response = _post(client, CODE, "12a")

    assert response.status_code == 200
    assert response.context["form"].errors == {"phone_last4": ["Nhập đúng 4 chữ số."]}
    assert response.context["form"]["code"].value() == CODE


def test_lookup_page_has_no_personal_data(client, entry, live_contest):
    staff = UserFactory(full_name="Cán Bộ Đầu Mối", email="canbo@example.vn")
    grant(staff, live_contest, Role.UNIT_STAFF, entry.unit)
    entry_transition(entry=entry, to=EntryStatus.SCREENING, by=staff)
    entry_transition(
        entry=entry,
        to=EntryStatus.REJECTED,
        by=staff,
        reason="Trùng với bài của Lăng Văn Chủ Bài năm trước",
    )

    html = _post(client, CODE, "5678").content.decode()

    assert "Không được chọn tại UBND huyện Cao Lộc" in html
    for private in [
        "Lăng Văn Chủ Bài",
        "0912345678",
        "0912 345 678",
        "chubai@example.vn",
        "Cán Bộ Đầu Mối",
        "canbo@example.vn",
        "Trùng với bài",
        "Giải pháp một cửa liên thông",
    ]:
        assert private not in html


def test_lookup_rate_limited_per_ip_even_with_right_answer(client, entry, settings):
    settings.LOOKUP_MAX_FAILURES = 3
    for _ in range(3):
        assert _post(client, "CC25-XXXX-XXXX", "0000").status_code == 200

    refused = _post(client, CODE, "5678")
    other_ip = _post(client, CODE, "5678", ip="10.0.0.2")

    assert refused.status_code == 429
    assert refused.context["result"] is None
    assert LIMITED in refused.content.decode()
    assert other_ip.status_code == 200
    assert other_ip.context["result"].tracking_code == CODE


def test_lookup_rate_limited_per_code_across_ips(client, entry, settings):
    settings.LOOKUP_MAX_FAILURES = 3
    for n in range(3):
        _post(client, CODE, "0000", ip=f"10.0.1.{n}")

    refused = _post(client, CODE.lower(), "5678", ip="10.0.2.1")

    assert refused.status_code == 429


def test_lookup_rate_limit_ends_with_the_window(client, entry, settings):
    settings.LOOKUP_MAX_FAILURES = 2
    settings.LOOKUP_WINDOW_SECONDS = 1
    _post(client, CODE, "0000")
    _post(client, CODE, "0000")
    assert _post(client, CODE, "5678").status_code == 429

    time.sleep(1.2)
    response = _post(client, CODE, "5678")

    assert response.status_code == 200
    assert response.context["result"].tracking_code == CODE


def test_lookup_default_limit_is_ten_failures(client, entry):
    statuses = [_post(client, CODE, "0000").status_code for _ in range(11)]

    assert statuses == [200] * 10 + [429]


def test_lookup_query_count_does_not_grow_with_steps(
    client, live_contest, django_assert_num_queries
):
    unit = UnitFactory(contest=live_contest)
    staff = UserFactory()
    grant(staff, live_contest, Role.UNIT_STAFF, unit)
    short = EntryFactory(contest=live_contest, unit=unit)
    AuthorFactory(entry=short, phone="0912000001")
    submit_entry(short, code="CC25-AAAA-0001")
    long = EntryFactory(contest=live_contest, unit=unit)
    AuthorFactory(entry=long, phone="0912000002")
    submit_entry(long, code="CC25-AAAA-0002")
    entry_transition(entry=long, to=EntryStatus.SCREENING, by=staff)
    entry_transition(entry=long, to=EntryStatus.SELECTED, by=staff)
    _post(client, "CC25-AAAA-0001", "0001")  # warm the content-type cache

    with django_assert_num_queries(3):
        first = _post(client, "CC25-AAAA-0001", "0001")
    with django_assert_num_queries(3):
        second = _post(client, "CC25-AAAA-0002", "0002")

    assert len(first.context["result"].steps) == 1
    assert len(second.context["result"].steps) == 3
