import pytest
from django.urls import reverse

from contest.enums import Role
from submissions.enums import EntryStatus
from submissions.workflow import entry_transition
from tests.factories import (
    AuthorFactory,
    EntryFactory,
    UnitFactory,
    UserFactory,
    grant,
    submit_entry,
)

PROFILE = {
    "full_name": "  Hoàng   Văn Thụ ",
    "phone": "+84 912 345 678",
    "position": "Chuyên viên",
    "workplace": "Sở Nội vụ tỉnh Lạng Sơn",
    "address": "Số 1 đường Hoàng Văn Thụ, phường Chi Lăng",
}


@pytest.fixture
def user(db):
    return UserFactory(email="chinhchu@example.vn", full_name="", phone="")


def test_profile_requires_login(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/tai-khoan/ho-so/"


def test_profile_page_explains_data_use(client, user):
    client.force_login(user)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert "Thông tin của bạn được dùng thế nào" in html
    assert "Trang tra cứu công khai không bao giờ hiển thị" in html


def test_profile_save_normalises_phone_and_spaces(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), PROFILE)
    user.refresh_from_db()

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert (user.full_name, user.phone, user.position, user.workplace, user.address) == (
        "Hoàng Văn Thụ",
        "0912345678",
        "Chuyên viên",
        "Sở Nội vụ tỉnh Lạng Sơn",
        "Số 1 đường Hoàng Văn Thụ, phường Chi Lăng",
    )


def test_profile_bad_phone_shows_vietnamese_error_and_keeps_input(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {**PROFILE, "phone": "12345"})
    html = response.content.decode()
    user.refresh_from_db()

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "phone": [
            "Số điện thoại không hợp lệ. Nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) "
            "hoặc dạng quốc tế +84 (ví dụ +84 912 345 678)."
        ]
    }
    assert 'value="Sở Nội vụ tỉnh Lạng Sơn"' in html
    assert 'value="12345"' in html
    assert (user.phone, user.workplace) == ("", "")


def test_profile_too_long_name_is_a_form_error_not_a_crash(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {**PROFILE, "full_name": "A" * 201})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["full_name"]


@pytest.fixture
def unit(contest):
    return UnitFactory(contest=contest, name="UBND huyện Cao Lộc")


def _entry(contest, unit, owner, **kwargs):
    entry = EntryFactory(contest=contest, unit=unit, owner=owner, **kwargs)
    AuthorFactory(entry=entry, user=owner, full_name=owner.full_name)
    return submit_entry(entry)


def test_my_entries_requires_login(client, db):
    response = client.get(reverse("accounts:my_entries"))

    assert response.status_code == 302


def test_my_entries_lists_own_and_coauthored_entries_only(client, contest, unit):
    me, other = UserFactory(), UserFactory()
    mine = _entry(contest, unit, me, title="Bài của tôi")
    coauthored = _entry(contest, unit, other, title="Bài nhóm có tôi")
    AuthorFactory(entry=coauthored, user=me, position=2, is_representative=False)
    _entry(contest, unit, other, title="Bài của người khác")
    client.force_login(me)

    response = client.get(reverse("accounts:my_entries"))
    html = response.content.decode()

    assert response.status_code == 200
    assert [i.entry.pk for i in response.context["items"]] == [coauthored.pk, mine.pk]
    assert "Bài của người khác" not in html
    assert mine.tracking_code in html
    assert "UBND huyện Cao Lộc" in html


def test_my_entries_shows_timeline_with_rejection_reason(client, contest, unit):
    me, staff = UserFactory(), UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    entry = _entry(contest, unit, me)
    entry_transition(entry=entry, to=EntryStatus.SCREENING, by=staff)
    entry_transition(
        entry=entry, to=EntryStatus.REJECTED, by=staff, reason="Giải pháp đã được áp dụng tại tỉnh"
    )
    client.force_login(me)

    response = client.get(reverse("accounts:my_entries"))
    html = response.content.decode()

    assert [s.text for s in response.context["items"][0].steps] == [
        "Đã gửi bài đến UBND huyện Cao Lộc",
        "UBND huyện Cao Lộc bắt đầu sơ loại",
        "Không được chọn tại UBND huyện Cao Lộc",
    ]
    assert "Không được chọn tại UBND huyện Cao Lộc. Lý do: Giải pháp đã được áp dụng tại tỉnh" in (
        html
    )
    assert "Không được chọn tại đơn vị" in html


def test_my_entries_empty_state(client, user):
    client.force_login(user)

    html = client.get(reverse("accounts:my_entries")).content.decode()

    assert "Bạn chưa có bài dự thi nào." in html


def test_header_links_for_logged_in_user(client, user):
    client.force_login(user)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("accounts:my_entries")}"' in html
    assert f'href="{reverse("accounts:profile")}"' in html
    assert f'href="{reverse("lookup")}"' in html


@pytest.mark.parametrize("count", [1, 20])
def test_my_entries_query_count_is_constant(
    client, contest, unit, count, django_assert_num_queries
):
    me, staff = UserFactory(), UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, unit)
    for _ in range(count):
        entry = _entry(contest, unit, me)
        entry_transition(entry=entry, to=EntryStatus.SCREENING, by=staff)
    client.force_login(me)
    client.get(reverse("accounts:my_entries"))  # warm the content-type cache

    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:my_entries"))

    assert len(response.context["items"]) == count
