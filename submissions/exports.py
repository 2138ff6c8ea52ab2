"""The compliance board as an XLSX workbook (openpyxl)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from contest.models import Contest

from .quotas import ComplianceRow


def compliance_board_xlsx(*, contest: Contest, rows: list[ComplianceRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tuân thủ chỉ tiêu")[:31]
    sheet.append(
        [
            _("Tình hình gửi bài dự thi của các đơn vị – %(contest)s")
            % {"contest": contest.short_name}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [_("Số liệu đến %(at)s") % {"at": timezone.localtime().strftime("%H:%M %d/%m/%Y")}]
    )
    sheet.append([])
    headers = [
        _("STT"),
        _("Đơn vị"),
        _("Loại đơn vị"),
        _("Chỉ tiêu tối thiểu"),
        _("Bắt buộc"),
        _("Đã nhận"),
        _("Đã chọn"),
        _("Đã gửi Ban Tổ chức"),
        _("Văn bản giải trình"),
        _("Tình trạng"),
    ]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row.name,
                row.unit_type_label,
                row.minimum,
                _("Có") if row.mandatory else _("Khuyến khích"),
                row.received,
                row.selected,
                row.forwarded,
                _("Đã nộp") if row.explanation_filed else "",
                row.status_label,
            ]
        )
    widths = [6, 48, 34, 12, 14, 10, 10, 14, 16, 36]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
