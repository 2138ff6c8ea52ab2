"""Workbooks: the payment list (annex) and every entry for the secretariat. Written with
openpyxl's write_only mode, row by row, so memory stays flat whatever the entry count."""

import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .money import amount_in_words
from .selectors import annex_rows, entries_for_export, prize_label_by_entry


def _header(ws, titles):
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def _safe(value):
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def annex_xlsx(*, award_set) -> tempfile.SpooledTemporaryFile:
    data = annex_rows(award_set=award_set)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Danh sách khen thưởng"))
    ws.append([_("DANH SÁCH CÁ NHÂN, TẬP THỂ ĐẠT GIẢI VÀ MỨC THƯỞNG")])
    ws.append([f"{_('Cuộc thi')} “{award_set.contest.name}”"])
    _header(
        ws,
        [
            _("STT"),
            _("Họ và tên / Tên tập thể"),
            _("Chức vụ, đơn vị"),
            _("Giải"),
            _("Số tiền (đồng)"),
        ],
    )
    for label, section in (
        (_("I. CÁ NHÂN"), data["individual"]),
        (_("II. TẬP THỂ"), data["group"]),
    ):
        ws.append([label])
        for row in section["rows"]:
            name = row.name + (f" ({', '.join(row.members)})" if row.members else "")
            ws.append([row.number, _safe(name), _safe(row.position), row.prize, row.amount])
        ws.append(["", _("Cộng"), "", "", section["total"]])
    ws.append(["", _("Tổng cộng"), "", "", data["total"]])
    ws.append([_("Bằng chữ: %(words)s chẵn") % {"words": amount_in_words(data["total"])}])
    out = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    wb.save(out)
    out.seek(0)
    return out


def entries_xlsx(*, contest) -> tempfile.SpooledTemporaryFile:
    prizes = prize_label_by_entry(contest=contest)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Bài dự thi"))
    _header(
        ws,
        [
            _("Mã bài"),
            _("Tên ý tưởng, giải pháp"),
            _("Loại"),
            _("Lĩnh vực"),
            _("Đầu mối tiếp nhận"),
            _("Trạng thái"),
            _("Thời điểm gửi"),
            _("Tác giả"),
            _("Chức vụ, đơn vị"),
            _("Điện thoại"),
            _("Thư điện tử"),
            _("Giải"),
        ],
    )
    for entry in entries_for_export(contest=contest).iterator(chunk_size=500):
        authors = list(entry.authors.all())
        representative = next(
            (a for a in authors if a.is_representative), authors[0] if authors else None
        )
        ws.append(
            [
                entry.tracking_code,
                _safe(entry.title),
                entry.get_kind_display(),
                f"{entry.category.code}) {entry.category.title}" if entry.category_id else "",
                entry.unit.name if entry.unit_id else "",
                entry.get_status_display(),
                timezone.localtime(entry.submitted_at).strftime("%d/%m/%Y %H:%M")
                if entry.submitted_at
                else "",
                _safe("; ".join(a.full_name for a in authors)),
                _safe(
                    ", ".join(p for p in (representative.job_title, representative.workplace) if p)
                    if representative
                    else ""
                ),
                _safe(representative.phone if representative else ""),
                _safe(representative.email if representative else ""),
                prizes.get(entry.pk, ""),
            ]
        )
    out = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    wb.save(out)
    out.seek(0)
    return out
