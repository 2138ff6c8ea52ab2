import datetime as dt
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from awards.enums import CertificateKind, CertificateStatus, GroupCertificateMode
from awards.models import Certificate
from awards.pdf import (
    html_to_pdf,
    merge_pdfs,
    render_calibration_pdf,
    render_overprint_pdf,
)
from awards.selectors import certificates_merged_pdf
from awards.services import (
    award_set_approve,
    award_set_compute,
    award_settings_for,
    blank_layout_for,
    certificate_render,
    certificates_issue,
)
from awards.tasks import task_render_certificate
from contest.enums import Role
from contest.pdf import url_fetcher
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db

CONTEST_NAME = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính trên địa bàn tỉnh Lạng Sơn năm 2025"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _pdftotext(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return _nfc(out.stdout)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """certificates_issue with its on-commit rendering tasks run, as after a real commit."""

    def run(award_set, organizer):
        with django_capture_on_commit_callbacks(execute=True):
            return certificates_issue(award_set=award_set, by=organizer)

    return run


@pytest.fixture
def approved(contest):
    contest.name = CONTEST_NAME
    contest.save()
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    settings_obj = award_settings_for(contest=contest)
    settings_obj.decision_number = "2156/QĐ-UBND"
    settings_obj.decision_date = dt.date(2025, 9, 26)
    settings_obj.decision_signer_name = "Đoàn Thanh Sơn"
    settings_obj.committee_decision_number = "45/QĐ-BTC"
    settings_obj.committee_decision_date = dt.date(2025, 9, 26)
    settings_obj.committee_signer_name = "Lương Trọng Quỳnh"
    settings_obj.gold_book_first_number = 501
    settings_obj.save()
    names = [
        "Nguyễn Thị Hường",
        "Lưu Văn Đức",
        "Hoàng Thị Ngọc Ánh",
        "Vy Văn Thưởng",
        "Đàm Thị Yến",
        "Lục Văn Quyết",
        "Triệu Thị Mỹ",
    ]
    individuals = [accepted_entry(contest, author_names=[n]) for n in names]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 95 - i) for i, e in enumerate(individuals)]
    )
    group = accepted_entry(
        contest,
        kind=EntryKind.GROUP,
        author_names=["Phùng Quốc Việt", "Nông Thị Lệ", "Dương Đình Khải"],
    )
    approved_ranking(contest, kind=EntryKind.GROUP, rows=[(group, 91)])
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    return award_set, organizer, individuals, group


def test_certificates_issue_creates_one_per_award_and_renders(issue, approved):
    award_set, organizer, _individuals, group = approved

    certificates = issue(award_set, organizer)

    kinds = sorted((c.kind, c.recipient_name) for c in certificates)
    assert [k for k, _n in kinds].count(CertificateKind.MERIT) == 5
    assert [k for k, _n in kinds].count(CertificateKind.COMMITTEE) == 3
    assert {c.status for c in Certificate.objects.all()} == {CertificateStatus.RENDERED}
    group_cert = Certificate.objects.get(award__entry=group)
    assert group_cert.recipient_key == "group"
    assert group_cert.member_list[0].startswith("Phùng Quốc Việt")
    assert sorted(c.gold_book_number for c in certificates if c.kind == CertificateKind.MERIT) == [
        "501",
        "502",
        "503",
        "504",
        "505",
    ]


def test_certificates_issue_twice_never_duplicates(issue, approved):
    award_set, organizer, _individuals, _group = approved
    first = {c.number for c in issue(award_set, organizer)}

    second = {c.number for c in issue(award_set, organizer)}

    assert second == first
    assert Certificate.objects.count() == 8


def test_certificates_one_per_member_mode(issue, approved):
    award_set, organizer, _individuals, group = approved
    settings_obj = award_settings_for(contest=award_set.contest)
    settings_obj.group_certificate_mode = GroupCertificateMode.ONE_PER_MEMBER
    settings_obj.save()

    issue(award_set, organizer)

    assert sorted(
        Certificate.objects.filter(award__entry=group).values_list("recipient_name", flat=True)
    ) == ["Dương Đình Khải", "Nông Thị Lệ", "Phùng Quốc Việt"]


def test_render_task_twice_keeps_one_file(issue, approved):
    award_set, organizer, individuals, _group = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.get(award__entry=individuals[0])
    name = certificate.pdf.name

    task_render_certificate.delay(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert certificate.status == CertificateStatus.RENDERED


def test_merit_certificate_text_has_name_and_contest_with_diacritics(
    issue, approved, artifacts_dir
):
    award_set, organizer, individuals, _group = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.get(award__entry=individuals[0])

    text = _pdftotext(certificate.pdf.path)

    assert "Nguyễn Thị Hường" in text
    assert _nfc(f"Đã có ý tưởng, giải pháp đạt giải Nhất Cuộc thi “{CONTEST_NAME}”") in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in text
    assert "BẰNG KHEN" in text
    assert "Quyết định số 2156/QĐ-UBND ngày 26 tháng 09 năm 2025" in text
    assert "Số sổ vàng: 501" in text
    assert "Lạng Sơn, ngày 26 tháng 09 năm 2025" in text
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert "Đoàn Thanh Sơn" in text
    assert len(PdfReader(certificate.pdf.path).pages) == 1
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-singlefile",
            certificate.pdf.path,
            str(artifacts_dir / "certificate-merit"),
        ],
        check=True,
    )


def test_group_merit_certificate_names_every_member(issue, approved, artifacts_dir):
    award_set, organizer, _individuals, group = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.get(award__entry=group)

    text = _pdftotext(certificate.pdf.path)

    for name in ["Phùng Quốc Việt", "Nông Thị Lệ", "Dương Đình Khải"]:
        assert name in text
    assert _nfc(CONTEST_NAME) in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-singlefile",
            certificate.pdf.path,
            str(artifacts_dir / "certificate-merit-group"),
        ],
        check=True,
    )


def test_committee_certificate_text_has_name_and_contest(issue, approved, artifacts_dir):
    award_set, organizer, individuals, _group = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.get(award__entry=individuals[4])

    text = _pdftotext(certificate.pdf.path)

    assert certificate.kind == CertificateKind.COMMITTEE
    assert "Đàm Thị Yến" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert _nfc(f"đạt giải Khuyến khích Cuộc thi “{CONTEST_NAME}”") in text
    assert "Lương Trọng Quỳnh" in text
    assert len(PdfReader(certificate.pdf.path).pages) == 1
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-singlefile",
            certificate.pdf.path,
            str(artifacts_dir / "certificate-committee"),
        ],
        check=True,
    )


def test_merged_pdf_has_every_certificate_in_order(issue, approved, tmp_path):
    award_set, organizer, _individuals, _group = approved
    issue(award_set, organizer)

    data = certificates_merged_pdf(award_set=award_set, kind=CertificateKind.MERIT)

    path = tmp_path / "merged.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    assert len(reader.pages) == 5
    assert "Nguyễn Thị Hường" in _nfc(reader.pages[0].extract_text())
    assert "Phùng Quốc Việt" in _pdftotext(path)


def test_overprint_has_only_variable_fields(issue, approved, tmp_path, artifacts_dir):
    award_set, organizer, _individuals, _group = approved
    issue(award_set, organizer)
    contest = award_set.contest
    layout = blank_layout_for(contest=contest, kind=CertificateKind.MERIT)
    certs = list(
        Certificate.objects.filter(kind=CertificateKind.MERIT).select_related(
            "award__tier", "award__award_set__contest", "award__entry"
        )
    )

    data = render_overprint_pdf(
        certificates=certs,
        layout=layout,
        award_settings=award_settings_for(contest=contest),
        kind=CertificateKind.MERIT,
    )

    path = tmp_path / "overprint.pdf"
    path.write_bytes(data)
    text = _pdftotext(path)
    assert len(PdfReader(path).pages) == 5
    assert "Nguyễn Thị Hường" in text
    assert "BẰNG KHEN" not in text
    assert "CỘNG HÒA" not in text
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (420, 297)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(artifacts_dir / "certificate-overprint"),
        ],
        check=True,
    )


def test_overprint_follows_the_layout_offsets(issue, approved, tmp_path):
    award_set, organizer, _individuals, _group = approved
    issue(award_set, organizer)
    contest = award_set.contest
    layout = [
        b
        for b in blank_layout_for(contest=contest, kind=CertificateKind.MERIT)
        if b.field == "gold_book"
    ]
    layout[0].x_mm, layout[0].y_mm = 100, 50
    cert = Certificate.objects.filter(kind=CertificateKind.MERIT).order_by("sequence").first()

    data = render_overprint_pdf(
        certificates=[cert],
        layout=layout,
        award_settings=award_settings_for(contest=contest),
        kind=CertificateKind.MERIT,
    )

    path = tmp_path / "one.pdf"
    path.write_bytes(data)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    first_word = bbox.split("<word ")[1]
    x_min = float(first_word.split('xMin="')[1].split('"')[0]) / 72 * 25.4
    y_min = float(first_word.split('yMin="')[1].split('"')[0]) / 72 * 25.4
    assert 100 <= x_min < 102
    assert 50 <= y_min < 53


def test_calibration_page_has_grid_and_field_labels(contest, tmp_path, artifacts_dir):
    layout = blank_layout_for(contest=contest, kind=CertificateKind.COMMITTEE)

    data = render_calibration_pdf(
        layout=layout,
        award_settings=award_settings_for(contest=contest),
        kind=CertificateKind.COMMITTEE,
    )

    path = tmp_path / "calibration.pdf"
    path.write_bytes(data)
    text = _pdftotext(path)
    assert "Người, tập thể được tặng (25.0; 96.0 mm)" in text
    assert "297 × 210 mm" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-singlefile",
            str(path),
            str(artifacts_dir / "certificate-calibration"),
        ],
        check=True,
    )


def test_user_text_is_escaped_and_cannot_fetch_files(issue, approved):
    award_set, organizer, individuals, _group = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.get(award__entry=individuals[0])
    certificate.recipient_name = '<img src="file:///etc/passwd"><b>Tên</b>'

    certificate_render(certificate=certificate, force=True)

    text = _pdftotext(certificate.pdf.path)
    assert '<img src="file:///etc/passwd"><b>Tên</b>' in text


def test_fetcher_refuses_everything_but_static_files():
    fetcher = url_fetcher()

    for url in [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://portal.invalid/static/../config/settings/base.py",
        "https://portal.invalid/media/secret.pdf",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = fetcher.fetch("https://portal.invalid/static/fonts/LiberationSerif-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"


def test_html_to_pdf_ignores_remote_and_local_references(tmp_path):
    html = (
        '<p>Chữ Việt: ắ ằ ẳ ẵ ặ ố ộ ữ</p><img src="file:///etc/hostname">'
        '<img src="http://127.0.0.1:9/x.png">'
    )

    data = html_to_pdf(html)

    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    assert "Chữ Việt: ắ ằ ẳ ẵ ặ ố ộ ữ" in _pdftotext(path)


def test_merge_pdfs_keeps_text(tmp_path):
    parts = [html_to_pdf(f"<p>Trang {n}: Đức</p>") for n in range(3)]
    files = []
    for i, data in enumerate(parts):
        p = tmp_path / f"{i}.pdf"
        p.write_bytes(data)
        files.append(p)

    merged = merge_pdfs(files)

    out = tmp_path / "m.pdf"
    out.write_bytes(merged)
    assert _pdftotext(out) == "Trang 0: Đức Trang 1: Đức Trang 2: Đức"


def test_fetcher_serves_hashed_static_names_from_collected_files(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "emblem.0123abcd.svg").write_bytes(b"<svg/>")

    response = url_fetcher().fetch("https://portal.invalid/static/img/emblem.0123abcd.svg")

    assert response.read() == b"<svg/>"
    with pytest.raises(ValueError):
        url_fetcher().fetch("https://portal.invalid/static/img/../../etc/passwd")
