import datetime as dt

import pytest

from awards.services import (
    award_set_approve,
    award_set_compute,
    award_settings_for,
    certificates_issue,
)
from contest.enums import ContestPhase, Role
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

CONTEST_NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"


@pytest.fixture
def awarded_contest(contest, django_capture_on_commit_callbacks):
    """A contest with full approved rankings of both kinds, prizes approved and
    certificates rendered: the state just before publication."""
    contest.name = CONTEST_NAME
    contest.phase = ContestPhase.AWARDING
    contest.save()
    organizer = UserFactory(full_name="Trần Văn Tổ Chức")
    grant(organizer, contest, Role.ORGANIZER)
    settings_obj = award_settings_for(contest=contest)
    settings_obj.decision_number = "2156/QĐ-UBND"
    settings_obj.decision_date = dt.date(2025, 9, 26)
    settings_obj.decision_signer_name = "Đoàn Thanh Sơn"
    settings_obj.save()
    individuals = [
        accepted_entry(contest, author_names=[f"Nguyễn Thị Hường {i}"], title=f"Một cửa số hóa {i}")
        for i in range(8)
    ]
    groups = [
        accepted_entry(
            contest,
            kind=EntryKind.GROUP,
            author_names=[f"Lưu Văn Đức {i}", f"Vy Thị Ngọc {i}"],
            title=f"Chính quyền số {i}",
        )
        for i in range(7)
    ]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 95 - i) for i, e in enumerate(individuals)]
    )
    approved_ranking(
        contest, kind=EntryKind.GROUP, rows=[(e, 90 - i) for i, e in enumerate(groups)]
    )
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(award_set=award_set, by=organizer)
    award_set.refresh_from_db()
    return {
        "contest": contest,
        "organizer": organizer,
        "award_set": award_set,
        "individuals": individuals,
        "groups": groups,
    }
