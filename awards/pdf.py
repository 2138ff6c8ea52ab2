"""PDF rendering with WeasyPrint. Fonts ship inside the portal (static/fonts); the URL
fetcher serves nothing but the portal's own static files and data: URIs, so no network and
no file:// access, whatever text a user typed (user text is escaped by the templates)."""

import html as html_lib
import io
import re

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from contest.pdf import inline_css, render_pdf, stylesheet

from .enums import CertificateKind


def _page_css(width_mm: int, height_mm: int):
    return inline_css(
        f"@page {{ size: {int(width_mm)}mm {int(height_mm)}mm; margin: 0 }}"
        f" .sheet {{ width: {int(width_mm)}mm; height: {int(height_mm)}mm }}"
    )


def html_to_pdf(
    html: str, *, stylesheet_name: str = "certificate.css", page_mm: tuple[int, int] | None = None
) -> bytes:
    sheets = [stylesheet(stylesheet_name)]
    if page_mm:
        sheets.append(_page_css(*page_mm))
    return render_pdf(html, stylesheets=sheets)


_A4_DOCUMENT = (
    "@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;"
    " @top-center { content: counter(page); font-family: PortalSerif; font-size: 13pt } }"
    " @page :first { @top-center { content: none } }"
)


def document_to_pdf(html: str) -> bytes:
    """An A4 administrative document (Nghị định 30/2020): margins, page numbers from 2."""
    return render_pdf(html, stylesheets=[stylesheet("certificate.css"), inline_css(_A4_DOCUMENT)])


def verification_url(number: str) -> str:
    return settings.PORTAL_SITE_URL.rstrip("/") + reverse("awards:verify", args=[number])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000")


def vn_date_parts(value) -> dict:
    """Day and month with a leading zero (Nghị định 30/2020), or dots when not yet set."""
    if value is None:
        return {"day": "……", "month": "……", "year": "……"}
    return {"day": f"{value.day:02d}", "month": f"{value.month:02d}", "year": str(value.year)}


def certificate_context(*, certificate, award_settings=None) -> dict:
    """The template context of one certificate; `award_settings` saves a query per
    certificate when the caller renders many of one contest."""
    from .services import award_settings_for

    award = certificate.award
    contest = award.award_set.contest
    if award_settings is None or award_settings.contest_id != contest.pk:
        award_settings = award_settings_for(contest=contest)
    merit = certificate.kind == CertificateKind.MERIT
    decision_number = (
        award_settings.decision_number if merit else award_settings.committee_decision_number
    )
    decision_date = (
        award_settings.decision_date if merit else award_settings.committee_decision_date
    )
    prize_words = award.tier.name.removeprefix("Giải ").strip()
    prize_words = prize_words[:1].upper() + prize_words[1:]
    date = vn_date_parts(decision_date)
    achievement = _("Đã có ý tưởng, giải pháp đạt giải %(prize)s Cuộc thi “%(contest)s”") % {
        "prize": prize_words,
        "contest": contest.name,
    }
    decision_line = _("Quyết định số %(number)s ngày %(day)s tháng %(month)s năm %(year)s") % {
        "number": decision_number or "……………",
        **date,
    }
    place_line = _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": award_settings.place_name,
        **date,
    }
    signer_line1 = (
        award_settings.decision_signer_line1 if merit else award_settings.committee_signer_line1
    )
    signer_line2 = (
        award_settings.decision_signer_line2 if merit else award_settings.committee_signer_line2
    )
    signer_name = (
        award_settings.decision_signer_name if merit else award_settings.committee_signer_name
    )
    recipient = certificate.recipient_name
    if certificate.members:
        recipient = f"{recipient}: " + "; ".join(m.split(" – ")[0] for m in certificate.member_list)
    fields = {
        "recipient": recipient,
        "position": certificate.recipient_position,
        "achievement": achievement,
        "decision": decision_line,
        "gold_book": certificate.gold_book_number or "……………",
        "place_date": place_line,
        "signer_title": "\n".join(x for x in (signer_line1, signer_line2) if x),
        "signer_name": signer_name,
        "number": certificate.number,
    }
    return {
        "fields": fields,
        "achievement": achievement,
        "decision_line": decision_line,
        "place_line": place_line,
        "certificate": certificate,
        "contest": contest,
        "settings": award_settings,
        "tier_name": award.tier.name,
        "entry": award.entry,
        "merit": merit,
        "signer_line1": signer_line1,
        "signer_line2": signer_line2,
        "signer_name": signer_name,
        "qr": qr_data_uri(verification_url(certificate.number)),
        "verify_url": verification_url(certificate.number),
    }


def page_size_for(*, award_settings, kind: str) -> tuple[int, int]:
    if kind == CertificateKind.MERIT:
        return (award_settings.merit_page_width_mm, award_settings.merit_page_height_mm)
    return (award_settings.committee_page_width_mm, award_settings.committee_page_height_mm)


def _certificate_html(*, certificate, award_settings=None) -> tuple[str, tuple[int, int]]:
    context = certificate_context(certificate=certificate, award_settings=award_settings)
    template = "certificates/merit.html" if context["merit"] else "certificates/committee.html"
    page_mm = page_size_for(award_settings=context["settings"], kind=certificate.kind)
    return render_to_string(template, context), page_mm


def render_certificate_pdf(*, certificate) -> bytes:
    """One certificate as its own WeasyPrint document (previews, one-off renders)."""
    html, page_mm = _certificate_html(certificate=certificate)
    return html_to_pdf(html, page_mm=page_mm)


# Batches ---------------------------------------------------------------------------------
# Many certificates are laid out as ONE document, one sheet (page) each, so that WeasyPrint's
# cost per document (set-up, font subsetting, writing the PDF) is paid once per batch, and
# the PDF is then cut into one file per certificate with pypdf. That cost is small beside
# the layout and drawing of each page (docs/performance.md, "Certificates"). Each sheet
# carries an id; WeasyPrint writes it as a named destination, which says on which page each
# certificate starts (a sheet that ever ran over two pages would still be cut right); the
# cut files carry no destinations, so no trace of the other certificates of the batch.

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SHEET = '<section class="sheet'
# Resource names a page's content uses: "/Name Do" (images, forms), "/Name sh" (shadings),
# "/Name scn" or "/Name SCN" (patterns).
_USED_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+(?:Do|sh|scn|SCN)\b")
_PRUNED = ("/XObject", "/Pattern", "/Shading")


def _anchor(index: int) -> str:
    return f"certificate-{index}"


def _sheet(html: str, index: int) -> str:
    """The certificate's page (its <section class="sheet">), with an id to find it by."""
    body = _BODY.search(html)
    if body is None or _SHEET not in body.group(1):
        raise ValueError("certificate template without a sheet")
    return body.group(1).replace(_SHEET, f'<section id="{_anchor(index)}" class="sheet', 1)


def _title(html: str) -> str:
    found = _TITLE.search(html)
    return html_lib.unescape(found.group(1).strip()) if found else ""


def _prune_resources(page) -> None:
    """WeasyPrint gives every page of a document the images of every page (one shared
    /XObject dictionary). A page cut out of a batch keeps only the images, patterns and
    shadings its own content draws, so that a certificate's file never carries what is
    printed on the other certificates of its batch. Fonts stay (shared glyph subsets)."""
    from pypdf.generic import DictionaryObject, NameObject

    if "/Resources" not in page:
        return
    resources = page["/Resources"].get_object()
    content = page.get_contents()
    used = {
        "/" + m.group(1).decode("latin-1")
        for m in _USED_NAME.finditer(content.get_data() if content is not None else b"")
    }
    pruned = DictionaryObject()
    for key, value in resources.items():
        if key in _PRUNED and isinstance(value.get_object(), DictionaryObject):
            value = DictionaryObject(
                {NameObject(n): item for n, item in value.get_object().items() if n in used}
            )
        pruned[NameObject(key)] = value
    page[NameObject("/Resources")] = pruned


def _split(data: bytes, count: int, titles: list[str]) -> list[bytes]:
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    starts = {}
    for name, destination in reader.named_destinations.items():
        if str(name).startswith("certificate-"):
            starts[int(str(name).removeprefix("certificate-"))] = (
                reader.get_destination_page_number(destination)
            )
    if sorted(starts) != list(range(count)):
        raise ValueError("a certificate of the batch has no page")
    bounds = [starts[i] for i in range(count)] + [total]
    out = []
    for index in range(count):
        writer = PdfWriter()
        for number in range(bounds[index], max(bounds[index + 1], bounds[index] + 1)):
            page = reader.pages[number]
            _prune_resources(page)  # before copying: the writer copies what the page refers to
            writer.add_page(page)
        if titles[index]:
            writer.add_metadata({"/Title": titles[index]})
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def render_certificate_pdfs(certificates, *, award_settings=None) -> list[bytes]:
    """Many certificates at once: one WeasyPrint document per page size (Bằng khen and Giấy
    chứng nhận differ), cut into one PDF per certificate, returned in the given order. The
    stylesheet and fonts are parsed once per process (contest/pdf.py) and laid out once per
    batch."""
    certificates = list(certificates)
    groups: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for position, certificate in enumerate(certificates):
        html, page_mm = _certificate_html(certificate=certificate, award_settings=award_settings)
        groups.setdefault(page_mm, []).append((position, html))
    results: list[bytes | None] = [None] * len(certificates)
    for page_mm, items in groups.items():
        document = (
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>'
            + "".join(_sheet(html, index) for index, (_position, html) in enumerate(items))
            + "</body></html>"
        )
        data = html_to_pdf(document, page_mm=page_mm)
        parts = _split(data, len(items), [_title(html) for _position, html in items])
        for (position, _html), part in zip(items, parts, strict=True):
            results[position] = part
    return results


_BOLD = {
    "recipient": "bold",
    "signer_title": "bold caps",
    "signer_name": "bold",
    "decision": "bold italic",
    "gold_book": "bold italic",
    "place_date": "bold italic",
}


def _mm(value) -> str:
    return f"{float(value):.1f}"


def render_overprint_pdf(*, certificates, layout: list, award_settings, kind: str) -> bytes:
    pages = []
    for certificate in certificates:
        values = certificate_context(certificate=certificate, award_settings=award_settings)[
            "fields"
        ]
        pages.append(
            [
                {
                    "value": values.get(item.field, ""),
                    "classes": _BOLD.get(item.field, ""),
                    "x": _mm(item.x_mm),
                    "y": _mm(item.y_mm),
                    "width": _mm(item.width_mm),
                    "size": _mm(item.font_size_pt),
                    "align": "center" if item.centered else "left",
                }
                for item in layout
            ]
        )
    html = render_to_string(
        "certificates/overprint.html", {"pages": pages, "title": _("Bản in đè lên phôi")}
    )
    return html_to_pdf(html, page_mm=page_size_for(award_settings=award_settings, kind=kind))


def render_calibration_pdf(*, layout: list, award_settings, kind: str) -> bytes:
    width, height = page_size_for(award_settings=award_settings, kind=kind)
    marks = []
    for item in layout:
        x, y, w = float(item.x_mm), float(item.y_mm), float(item.width_mm)
        cx = x + w / 2 if item.centered else x
        marks.append(
            {
                "label": item.get_field_display(),
                "x_mm": _mm(x),
                "y_mm": _mm(y),
                "x2": _mm(x + w),
                "cx": _mm(cx),
                "cy1": _mm(max(y - 4, 0)),
                "cy2": _mm(y + 4),
                "label_y": _mm(max(y - 2.5, 3)),
            }
        )
    html = render_to_string(
        "certificates/calibration.html",
        {
            "layout": marks,
            "width": width,
            "height": height,
            "columns": list(range(0, width + 1, 10)),
            "rows": list(range(10, height + 1, 10)),
        },
    )
    return html_to_pdf(html, page_mm=(width, height))


def merge_pdfs(paths_or_files) -> bytes:
    """One PDF for printing; pages are appended without re-rendering."""
    writer = PdfWriter()
    for item in paths_or_files:
        writer.append(PdfReader(item))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
