"""Spreadsheet imports: the register of applied models, and paper score sheets. Both are
all-or-nothing: one invalid row and nothing is imported; every error names its row."""

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _

from contest.enums import ScoringRound
from contest.models import Contest
from contest.services import event_record
from submissions.enums import JUDGEABLE
from submissions.models import Entry

from ..errors import JudgingRefused
from ..models import Assignment, KnownModel, ScoreSheet
from ..selectors import judging_totals_changed
from .jury import judges_of
from .scoring import SOURCE_PAPER, points_check, rubric_for, sheet_save

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000

KNOWN_MODEL_HEADERS = ["Tên mô hình, ý tưởng", "Mô tả", "Nơi áp dụng", "Nguồn"]
SCORE_HEADERS = [
    "Thư điện tử giám khảo",
    "Mã bài dự thi",
    "Tiêu chí số",
    "Tên tiêu chí",
    "Điểm",
    "Nhận xét",
]


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    pass


def _rows(upload) -> list[tuple[int, list]]:
    """(spreadsheet row number, cell values) of the first sheet after its header row."""
    from openpyxl import load_workbook

    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise JudgingRefused(_("Tệp quá lớn (tối đa 5 MB)."))
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == 1:
                continue
            if number > MAX_ROWS + 1:
                raise JudgingRefused(_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
            cells = list(values)
            if any(v not in (None, "") for v in cells):
                rows.append((number, cells))
        workbook.close()
    except JudgingRefused:
        raise
    except Exception:  # any parse failure of a user file is "not a valid XLSX"
        raise JudgingRefused(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from None
    return rows


def _cell(cells: list, i: int) -> str:
    value = cells[i] if i < len(cells) else None
    return "" if value is None else str(value).strip()


def known_models_import(*, contest: Contest, upload, by) -> ImportResult:
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    result = ImportResult()
    seen: dict[str, int] = {}
    objects = []
    for number, cells in _rows(upload):
        title, description = _cell(cells, 0), _cell(cells, 1)
        where, source = _cell(cells, 2), _cell(cells, 3)
        if not title:
            result.errors.append(_("Dòng %(n)s: thiếu tên mô hình, ý tưởng.") % {"n": number})
            continue
        if len(title) > 300 or len(where) > 300 or len(source) > 300:
            result.errors.append(
                _("Dòng %(n)s: tên, nơi áp dụng hoặc nguồn dài quá 300 ký tự.") % {"n": number}
            )
            continue
        if title.casefold() in seen:
            result.errors.append(
                _("Dòng %(n)s: trùng tên với dòng %(m)s.")
                % {"n": number, "m": seen[title.casefold()]}
            )
            continue
        seen[title.casefold()] = number
        objects.append(
            KnownModel(
                contest=contest,
                title=title,
                description=description,
                where_applied=where,
                source=source,
            )
        )
    if not objects and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if result.errors:
        return result
    with transaction.atomic():
        KnownModel.objects.bulk_create(objects)
        event_record(
            target=contest, action="known_models_imported", actor=by, data={"rows": len(objects)}
        )
    result.created = len(objects)
    return result


def score_template(*, contest: Contest) -> bytes:
    """A workbook with one row per (judge, entry, criterion) of the written round's
    assignments, points left blank: the secretariat fills it from the paper sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phieu cham"
    sheet.append(SCORE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rubric = rubric_for(contest=contest, round=ScoringRound.WRITTEN)
    submitted = set(
        ScoreSheet.objects.filter(
            contest=contest, round=ScoringRound.WRITTEN, status="submitted"
        ).values_list("judge_id", "entry_id")
    )
    for a in (
        Assignment.objects.filter(
            contest=contest, round=ScoringRound.WRITTEN, entry__status__in=JUDGEABLE
        )
        .select_related("judge", "entry")
        .order_by("judge__email", "entry__tracking_code")
    ):
        if (a.judge_id, a.entry_id) in submitted:
            continue
        for c in rubric:
            sheet.append([a.judge.email, a.entry.tracking_code, c.position, c.title, None, None])
    for column, width in zip("ABCDEF", (32, 18, 12, 40, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def scores_import(*, contest: Contest, upload, by) -> ImportResult:
    """Paper sheets: one row per judge × entry × criterion. Each (judge, entry) must give
    every criterion of the written rubric; its sheet is saved and submitted for the judge,
    recorded as coming from paper."""
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    result = ImportResult()
    rubric = {c.position: c for c in rubric_for(contest=contest, round=ScoringRound.WRITTEN)}
    judges = {j.email.casefold(): j for j in judges_of(contest=contest)}
    entries = {
        e.tracking_code.casefold(): e
        for e in Entry.objects.filter(
            contest=contest, status__in=JUDGEABLE, tracking_code__isnull=False
        ).select_related("contest")
    }
    assigned = set(
        Assignment.objects.filter(contest=contest, round=ScoringRound.WRITTEN).values_list(
            "judge_id", "entry_id"
        )
    )
    groups: dict[tuple[int, int], dict] = {}
    for number, cells in _rows(upload):
        email, code, position = _cell(cells, 0), _cell(cells, 1), _cell(cells, 2)
        points, comment = _cell(cells, 4), _cell(cells, 5)
        where = _("Dòng %(n)s: ") % {"n": number}
        judge = judges.get(email.casefold())
        if judge is None:
            result.errors.append(
                where + _("“%(v)s” không phải giám khảo của cuộc thi.") % {"v": email}
            )
            continue
        entry = entries.get(code.casefold())
        if entry is None:
            result.errors.append(
                where + _("không có bài dự thi mã “%(v)s” ở vòng chấm.") % {"v": code}
            )
            continue
        if (judge.pk, entry.pk) not in assigned:
            result.errors.append(
                where
                + _("giám khảo %(j)s không được phân công chấm bài %(c)s.")
                % {"j": email, "c": code}
            )
            continue
        try:
            criterion = rubric[int(Decimal(position))]
        except (KeyError, ArithmeticError, ValueError):
            result.errors.append(
                where + _("tiêu chí số “%(v)s” không có trong thang điểm.") % {"v": position}
            )
            continue
        if points == "":
            result.errors.append(where + _("thiếu điểm."))
            continue
        try:
            value = points_check(value=points, criterion=criterion, step=contest.score_step)
        except JudgingRefused as exc:
            result.errors.append(where + str(exc))
            continue
        group = groups.setdefault(
            (judge.pk, entry.pk),
            {"judge": judge, "entry": entry, "scores": {}, "comment": "", "first": number},
        )
        if criterion.pk in group["scores"]:
            result.errors.append(where + _("tiêu chí này đã có điểm ở dòng trước."))
            continue
        group["scores"][criterion.pk] = value
        if comment:
            group["comment"] = comment
    for group in groups.values():
        missing = [str(p) for p, c in rubric.items() if c.pk not in group["scores"]]
        if missing:
            result.errors.append(
                _("Dòng %(n)s: phiếu của %(j)s cho bài %(c)s thiếu tiêu chí số %(m)s.")
                % {
                    "n": group["first"],
                    "j": group["judge"].email,
                    "c": group["entry"].tracking_code,
                    "m": ", ".join(missing),
                }
            )
    if not groups and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for group in groups.values():
                sheet = ScoreSheet.objects.filter(
                    judge=group["judge"], entry=group["entry"], round=ScoringRound.WRITTEN
                ).first()
                try:
                    sheet_save(
                        entry=group["entry"],
                        judge=group["judge"],
                        by=by,
                        scores=group["scores"],
                        comment=group["comment"],
                        expected_version=sheet.version if sheet else 0,
                        submit=True,
                        source=SOURCE_PAPER,
                    )
                except JudgingRefused as exc:
                    result.errors.append(
                        _("Dòng %(n)s: %(e)s") % {"n": group["first"], "e": str(exc)}
                    )
            if result.errors:
                raise _Invalid
            event_record(
                target=contest, action="scores_imported", actor=by, data={"sheets": len(groups)}
            )
            judging_totals_changed(contest=contest)
    except _Invalid:
        return result
    result.created = len(groups)
    return result
