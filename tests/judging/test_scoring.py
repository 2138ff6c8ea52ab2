from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from contest.enums import Role, ScoringRound
from contest.models import Event
from judging.enums import SheetStatus
from judging.errors import JudgingRefused, StaleSheet
from judging.models import Score, ScoreSheet, ScoreSheetVersion
from judging.services.assignment import assignment_add
from judging.services.jury import criterion_save
from judging.services.ranking import ranking_approve, ranking_compute
from judging.services.scoring import rubric_for, sheet_reopen, sheet_save, sheet_transition
from tests.factories import (
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
    score_all,
)

FULL = [25, 15, 15, 15, 8]  # the plan's rubric: 30, 20, 20, 20, 10


@pytest.fixture
def setup(db):
    contest = judging_contest()
    secretariat = UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    judge, other = judge_user(contest), judge_user(contest)
    entry = accepted_entry(contest, author_names=["Lương Thị Bí Mật"], title="Một cửa số")
    assignment_add(contest=contest, entry=entry, judge=judge, by=secretariat)
    return contest, secretariat, organizer, judge, other, entry


def _scores(contest, values):
    return {
        c.pk: v
        for c, v in zip(
            rubric_for(contest=contest, round=ScoringRound.WRITTEN), values, strict=True
        )
    }


def test_sheet_save_draft_then_submit_records_versions_and_events(setup):
    contest, _sec, _org, judge, _other, entry = setup

    draft = sheet_save(
        entry=entry,
        judge=judge,
        by=judge,
        scores=_scores(contest, [25, 15, "", "", ""]),
        expected_version=0,
    )
    sheet = sheet_save(
        entry=entry,
        judge=judge,
        by=judge,
        scores=_scores(contest, FULL),
        comment="Tốt",
        expected_version=draft.version,
        submit=True,
    )

    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.total == Decimal("78")
    assert list(ScoreSheetVersion.objects.filter(sheet=sheet).values_list("version", "action")) == [
        (1, "sheet_saved"),
        (2, "sheet_saved"),
        (3, "sheet_submitted"),
    ]
    assert list(
        Event.objects.filter(action="sheet_submitted").values_list("to_state", flat=True)
    ) == ["submitted"]


def test_sheet_total_uses_rubric_weights(setup):
    contest, *_rest, judge, _other, entry = setup
    first = rubric_for(contest=contest, round=ScoringRound.WRITTEN)[0]
    first.weight = Decimal("2")
    first.save()

    sheet = score_all(entry, judge, FULL, submit=False)

    assert sheet.total == Decimal("103")  # 25 × 2 + 15 + 15 + 15 + 8


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31", "Điểm “Tính mới, sáng tạo” phải từ 0 đến 30."),
        ("-1", "Điểm “Tính mới, sáng tạo” phải từ 0 đến 30."),
        ("12.25", "Điểm “Tính mới, sáng tạo” phải theo bước 0,5 điểm."),
        ("abc", "Điểm “Tính mới, sáng tạo” phải là một số."),
        ("NaN", "Điểm “Tính mới, sáng tạo” phải từ 0 đến 30."),
    ],
)
def test_sheet_save_refuses_out_of_bounds(setup, value, message):
    contest, *_rest, judge, _other, entry = setup

    with pytest.raises(JudgingRefused) as refused:
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=_scores(contest, [value, 10, 10, 10, 5]),
            expected_version=0,
        )

    assert str(refused.value) == message
    assert ScoreSheet.objects.count() == 0


def test_sheet_save_whole_points_step(setup):
    contest, *_rest, judge, _other, entry = setup
    contest.score_step = Decimal("1")
    contest.save(update_fields=["score_step"])

    with pytest.raises(JudgingRefused):
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=_scores(contest, ["12.5", 10, 10, 10, 5]),
            expected_version=0,
        )


def test_score_check_constraint_refuses_negative_points(setup):
    _contest, *_rest, judge, _other, entry = setup
    sheet = score_all(entry, judge, FULL, submit=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(sheet=sheet).update(points=Decimal("-1"))


def test_one_sheet_per_judge_and_entry_in_database(setup):
    contest, *_rest, judge, _other, entry = setup
    score_all(entry, judge, FULL, submit=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(contest=contest, entry=entry, judge=judge)


def test_submit_needs_every_criterion(setup):
    contest, *_rest, judge, _other, entry = setup

    with pytest.raises(JudgingRefused) as refused:
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=_scores(contest, [20, "", "", "", ""]),
            expected_version=0,
            submit=True,
        )

    assert str(refused.value) == "Cần chấm đủ tất cả tiêu chí trước khi nộp phiếu."
    assert ScoreSheet.objects.count() == 0


def test_stale_version_refused_and_keeps_earlier_save(setup):
    contest, *_rest, judge, _other, entry = setup
    sheet_save(
        entry=entry,
        judge=judge,
        by=judge,
        scores=_scores(contest, [20, 10, 10, 10, 5]),
        expected_version=0,
    )

    with pytest.raises(StaleSheet):
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=_scores(contest, [1, 1, 1, 1, 1]),
            expected_version=0,
        )

    assert ScoreSheet.objects.get().total == Decimal("55")


def test_submitted_sheet_cannot_be_saved_by_judge(setup):
    contest, *_rest, judge, _other, entry = setup
    sheet = score_all(entry, judge, FULL)

    with pytest.raises(JudgingRefused) as refused:
        sheet_save(
            entry=entry,
            judge=judge,
            by=judge,
            scores=_scores(contest, FULL),
            expected_version=sheet.version,
        )

    assert str(refused.value) == "Phiếu đã nộp. Chỉ Tổ Thư ký có thể mở lại phiếu (nêu rõ lý do)."


def test_reopen_only_by_secretariat_with_reason(setup):
    _contest, secretariat, _org, judge, _other, entry = setup
    sheet = score_all(entry, judge, FULL)

    with pytest.raises(JudgingRefused):
        sheet_reopen(sheet=sheet, by=judge, reason="Tôi muốn sửa")
    with pytest.raises(JudgingRefused):
        sheet_reopen(sheet=sheet, by=secretariat, reason="  ")
    sheet_reopen(sheet=sheet, by=secretariat, reason="Giám khảo nhập nhầm tiêu chí 2")

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert (
        ScoreSheetVersion.objects.filter(sheet=sheet).last().reason
        == "Giám khảo nhập nhầm tiêu chí 2"
    )
    assert (
        Event.objects.filter(action="sheet_reopened").get().reason
        == "Giám khảo nhập nhầm tiêu chí 2"
    )


def test_sheet_transition_refuses_draft_to_draft(setup):
    _contest, secretariat, _org, judge, _other, entry = setup
    sheet = score_all(entry, judge, FULL, submit=False)

    with pytest.raises(JudgingRefused):
        sheet_transition(sheet=sheet, to=SheetStatus.DRAFT, by=secretariat, reason="x")


def test_unassigned_judge_cannot_save(setup):
    contest, *_rest, _judge, other, entry = setup

    with pytest.raises(JudgingRefused) as refused:
        sheet_save(
            entry=entry, judge=other, by=other, scores=_scores(contest, FULL), expected_version=0
        )

    assert str(refused.value) == "Bạn không được phân công chấm bài này."


def test_scoring_refused_after_deadline(setup):
    contest, *_rest, judge, _other, entry = setup
    from django.utils import timezone

    contest.scoring_deadline = timezone.now()
    contest.save(update_fields=["scoring_deadline"])

    with pytest.raises(JudgingRefused) as refused:
        score_all(entry, judge, FULL)

    assert str(refused.value) == "Đã hết hạn chấm thi."


def test_rubric_edit_refused_once_a_score_exists(setup):
    contest, secretariat, _org, judge, _other, entry = setup
    criterion_save(
        contest=contest, by=secretariat, position=6, title="Trình bày", max_points=Decimal("5")
    )
    criterion = rubric_for(contest=contest, round=ScoringRound.WRITTEN)[-1]
    criterion.delete()
    score_all(entry, judge, FULL, submit=False)

    with pytest.raises(JudgingRefused) as refused:
        criterion_save(
            contest=contest, by=secretariat, position=6, title="Trình bày", max_points=Decimal("5")
        )

    assert str(refused.value) == "Đã có điểm chấm: không thể sửa thang điểm nữa."


def test_frozen_after_approval_refuses_scores_recompute_and_reopen(setup):
    contest, secretariat, organizer, judge, _other, entry = setup
    sheet = score_all(entry, judge, FULL)
    ranking = ranking_compute(contest=contest, kind=entry.kind, by=secretariat)
    ranking_approve(ranking=ranking, by=organizer)

    with pytest.raises(JudgingRefused):
        sheet_reopen(sheet=sheet, by=secretariat, reason="Sửa điểm")
    with pytest.raises(JudgingRefused):
        ranking_compute(contest=contest, kind=entry.kind, by=secretariat)
    with pytest.raises(JudgingRefused):
        assignment_add(contest=contest, entry=entry, judge=_other, by=secretariat)

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert ranking.rows.get().score == Decimal("78.000")


# --------------------------------------------------------------- pages


def test_judge_page_is_blind_and_scores_are_saved(setup, client):
    contest, *_rest, judge, _other, entry = setup
    entry.summary = "Giải pháp tiếp nhận hồ sơ qua mạng."
    entry.save(update_fields=["summary"])
    client.force_login(judge)
    url = reverse("judging:sheet", args=[contest.slug, entry.pk])

    page = client.get(url)
    post = {
        f"c_{c.pk}": v
        for c, v in zip(rubric_for(contest=contest, round="written"), FULL, strict=True)
    }
    response = client.post(url, {**post, "comment": "Khả thi", "version": "0", "submit": "1"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Giải pháp tiếp nhận hồ sơ qua mạng." in html
    assert "Lương Thị Bí Mật" not in html
    assert entry.unit.name not in html
    assert response.status_code == 302
    assert ScoreSheet.objects.get().status == SheetStatus.SUBMITTED


def test_judge_page_stale_post_keeps_typed_values(setup, client):
    contest, *_rest, judge, _other, entry = setup
    score_all(entry, judge, [20, 10, 10, 10, 5], submit=False)
    client.force_login(judge)
    criteria = rubric_for(contest=contest, round="written")

    response = client.post(
        reverse("judging:sheet", args=[contest.slug, entry.pk]),
        {
            **{f"c_{c.pk}": "7" for c in criteria},
            "comment": "Gõ ở thẻ thứ hai",
            "version": "0",
            "save": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "vừa được lưu ở nơi khác" in html
    assert "Gõ ở thẻ thứ hai" in html
    assert (
        f'name="c_{criteria[0].pk}" id="id_c_{criteria[0].pk}" class="form-control" value="7"'
        in html
    )
    assert 'name="version" value="1"' in html
    assert ScoreSheet.objects.get().total == Decimal("55")


def test_judge_cannot_open_entry_not_assigned(setup, client):
    contest, *_rest, _judge, other, entry = setup
    client.force_login(other)

    response = client.get(reverse("judging:sheet", args=[contest.slug, entry.pk]))

    assert response.status_code == 404


def test_judge_cannot_open_another_judges_sheet(setup, client):
    contest, *_rest, judge, other, entry = setup
    sheet = score_all(entry, judge, FULL)
    client.force_login(other)

    reopen = client.get(reverse("judging:reopen", args=[contest.slug, sheet.pk]))
    post = client.post(
        reverse("judging:sheet", args=[contest.slug, entry.pk]), {"version": "0", "save": "1"}
    )

    assert reopen.status_code == 404
    assert post.status_code == 404


def test_judge_cannot_download_file_of_unassigned_entry(setup, client):
    contest, *_rest, _judge, other, entry = setup
    client.force_login(other)

    response = client.get(reverse("judging:file_download", args=[contest.slug, entry.pk, 1]))

    assert response.status_code == 404


def test_secretariat_pages_404_for_judge(setup, client):
    contest, *_rest, judge, _other, _entry = setup
    client.force_login(judge)

    codes = [
        client.get(reverse(name, args=[contest.slug])).status_code
        for name in (
            "judging:assignments",
            "judging:progress",
            "judging:ranking",
            "judging:scores_import",
            "judging:duplicates",
        )
    ]

    assert codes == [404, 404, 404, 404, 404]
