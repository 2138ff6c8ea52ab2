"""The decision annex (payment list) and the report to the province, as A4 PDFs."""

from django.template.loader import render_to_string
from django.utils import timezone

from .charts import bar_chart_svg
from .money import amount_in_words, format_vnd
from .pdf import document_to_pdf, vn_date_parts
from .selectors import annex_rows, contest_statistics
from .services import award_settings_for


def annex_pdf(*, award_set) -> bytes:
    contest = award_set.contest
    award_settings = award_settings_for(contest=contest)
    data = annex_rows(award_set=award_set)
    html = render_to_string(
        "awards/annex_pdf.html",
        {
            "contest": contest,
            "settings": award_settings,
            "data": data,
            "decision_date": vn_date_parts(award_settings.decision_date),
            "total_vnd": format_vnd(data["total"]),
            "total_words": amount_in_words(data["total"]),
        },
    )
    return document_to_pdf(html)


def report_pdf(*, contest, award_set) -> bytes:
    award_settings = award_settings_for(contest=contest)
    stats = contest_statistics(contest=contest)
    data = annex_rows(award_set=award_set) if award_set else None
    html = render_to_string(
        "awards/report_pdf.html",
        {
            "contest": contest,
            "settings": award_settings,
            "stats": stats,
            "data": data,
            "report_date": vn_date_parts(award_settings.report_date or timezone.localdate()),
            "total_vnd": format_vnd(data["total"]) if data else "0",
            "total_words": amount_in_words(data["total"]) if data else "",
            "chart_unit_type": bar_chart_svg(
                items=stats["by_unit_type"], title="Bài dự thi theo loại đơn vị"
            ),
            "chart_category": bar_chart_svg(
                items=stats["by_category"], title="Bài dự thi theo lĩnh vực"
            ),
        },
    )
    return document_to_pdf(html)
