import re

import pytest
from django.core import mail
from django.urls import reverse

from awards.enums import AwardSetStatus
from awards.models import Certificate, ResultNotice
from awards.notices import result_notices_send
from awards.services import AwardsRefused, award_set_compute, award_set_publish
from contest.enums import ContestPhase, Role
from contest.models import Event
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db


def _publish(data, capture):
    with capture(execute=True):
        award_set_publish(award_set=data["award_set"], by=data["organizer"])


def test_results_page_before_publication_says_not_published(client, awarded_contest):
    response = client.get(reverse("awards:results"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "chưa công bố" in content
    assert "Nguyễn Thị Hường 0" not in content
    assert "Một cửa số hóa 0" not in content


def test_verification_of_unpublished_certificate_is_404(client, awarded_contest):
    certificate = Certificate.objects.first()

    response = client.get(reverse("awards:verify", args=[certificate.number]))

    assert response.status_code == 404


def test_no_result_email_before_publication(awarded_contest):
    sent = result_notices_send(award_set_id=awarded_contest["award_set"].pk)

    assert sent == 0
    assert mail.outbox == []


def test_publish_sets_phase_records_event_and_mails_once(
    awarded_contest, django_capture_on_commit_callbacks
):
    _publish(awarded_contest, django_capture_on_commit_callbacks)

    contest = awarded_contest["contest"]
    contest.refresh_from_db()
    award_set = awarded_contest["award_set"]
    award_set.refresh_from_db()
    assert award_set.status == AwardSetStatus.PUBLISHED
    assert contest.phase == ContestPhase.PUBLISHED
    assert Event.objects.filter(action="results_published").count() == 1
    assert len(mail.outbox) == 15
    winner_mail = next(
        m
        for m in mail.outbox
        if m.to == [awarded_contest["individuals"][0].authors.first().email]
        or awarded_contest["individuals"][0].owner.email in m.to
    )
    assert "Giải nhất" in winner_mail.body
    assert "5.000.000 đ" in winner_mail.body
    loser = awarded_contest["individuals"][7]
    loser_mail = next(m for m in mail.outbox if loser.owner.email in m.to)
    assert "không nằm trong danh sách đạt giải" in loser_mail.body

    again = result_notices_send(award_set_id=award_set.pk)

    assert again == 0
    assert ResultNotice.objects.count() == 15


def test_publish_twice_is_one_publication(awarded_contest, django_capture_on_commit_callbacks):
    _publish(awarded_contest, django_capture_on_commit_callbacks)
    _publish(awarded_contest, django_capture_on_commit_callbacks)

    assert Event.objects.filter(action="results_published").count() == 1


def test_publish_before_approval_is_refused(contest):
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    entry = accepted_entry(contest)
    approved_ranking(contest, kind=EntryKind.INDIVIDUAL, rows=[(entry, 80)])
    award_set = award_set_compute(contest=contest, by=organizer)

    with pytest.raises(AwardsRefused):
        award_set_publish(award_set=award_set, by=organizer)


def test_results_page_after_publication_lists_prizes(
    client, awarded_contest, django_capture_on_commit_callbacks
):
    _publish(awarded_contest, django_capture_on_commit_callbacks)

    response = client.get(reverse("awards:results"))

    content = response.content.decode()
    assert "Giải nhất" in content
    assert "Một cửa số hóa 0" in content
    assert "Nguyễn Thị Hường 0" in content
    assert "Lưu Văn Đức 0, Vy Thị Ngọc 0" in content
    assert awarded_contest["individuals"][0].unit.name in content
    assert "a) Công tác chỉ đạo điều hành" in content
    assert "Một cửa số hóa 7" not in content


def test_verification_after_publication_confirms(
    client, awarded_contest, django_capture_on_commit_callbacks
):
    _publish(awarded_contest, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(award__entry=awarded_contest["individuals"][0])

    response = client.get(reverse("awards:verify", args=[certificate.number]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Thị Hường 0" in content
    assert "Giải nhất" in content
    assert "2156/QĐ-UBND" in content
    assert "Tìm kiếm ý tưởng, giải pháp cải cách hành chính" in content


def test_verification_of_unknown_or_unpublished_number_is_the_same_404(client, awarded_contest):
    unpublished = Certificate.objects.filter(award__entry__contest=awarded_contest["contest"])[0]

    unknown = client.get(reverse("awards:verify", args=["BK2025-999-XXXX"]))
    hidden = client.get(reverse("awards:verify", args=[unpublished.number]))

    assert unknown.status_code == hidden.status_code == 404
    assert "Không tìm thấy văn bản có số hiệu này" in unknown.content.decode()
    assert unpublished.recipient_name not in hidden.content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", unknown.content.decode()).replace("BK2025-999-XXXX", "?") == token.sub(
        "", hidden.content.decode()
    ).replace(unpublished.number, "?")


@pytest.mark.parametrize("extra", [0, 6])
def test_results_page_query_count_does_not_grow(
    client, contest, extra, django_assert_num_queries, django_capture_on_commit_callbacks
):
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    entries = [accepted_entry(contest) for _ in range(1 + extra)]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 90 - i) for i, e in enumerate(entries)]
    )
    contest.phase = ContestPhase.AWARDING
    contest.save()
    from awards.services import award_set_approve

    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        award_set_publish(award_set=award_set, by=organizer)

    with django_assert_num_queries(4):
        response = client.get(reverse("awards:results"))

    assert response.status_code == 200
