"""Query counts of the wizard's pages at two data sizes, and the receipt PDF."""

import subprocess
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from submissions import services
from submissions.receipt import receipt_pdf
from submissions.selectors import entry_for_receipt
from tests.factories import UnitFactory, UserFactory, district_with_communes
from tests.submissions.intake_support import author, open_contest, ready_draft

pytestmark = pytest.mark.django_db
PAGES = ["tac-gia", "linh-vuc", "y-tuong", "tep", "don-vi", "cam-ket", "review", "receipt"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _world(size: int):
    contest = open_contest()
    owner = UserFactory()
    units = [UnitFactory(contest=contest) for _ in range(size)]
    for i in range(size):
        district_with_communes(contest, name=f"UBND huyện Thử {i}", communes=size)
    other_owner = UserFactory()
    for i in range(size):
        done = ready_draft(
            contest=contest,
            owner=other_owner,
            unit=units[i],
            title=f"Giải pháp khác số {i}",
            authors=[author(f"Người khác {i}")],
        )
        services.entry_submit(entry=done, by=other_owner)
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=units[0],
        kind="group",
        authors=[author(f"Tác giả {i}", representative=i == 0) for i in range(size + 1)],
    )
    submitted = ready_draft(contest=contest, owner=owner, unit=units[0], title="Đã gửi")
    services.entry_submit(entry=submitted, by=owner)
    return owner, entry, submitted


def _url(page, entry, submitted):
    if page == "review":
        return reverse("submissions:review", args=[entry.pk])
    if page == "receipt":
        return reverse("submissions:receipt", args=[submitted.pk])
    return reverse("submissions:step", args=[entry.pk, page])


@pytest.mark.parametrize("page", PAGES)
def test_wizard_page_query_count_constant_in_units_and_entries(client, page):
    counts = []
    for size in (2, 6):
        owner, entry, submitted = _world(size)
        client.force_login(owner)
        _queries(client, _url(page, entry, submitted))  # warm caches (content types, session)
        counts.append(_queries(client, _url(page, entry, submitted)))

    assert counts[0] == counts[1]


def test_receipt_pdf_text_has_title_and_hashes_with_diacritics(artifacts_dir):
    contest = open_contest()
    owner = UserFactory()
    unit = UnitFactory(contest=contest, name="Sở Nội vụ")
    title = "Ứng dụng “một cửa” số: giảm thời gian đi lại của người dân <b>Lạng Sơn</b>"
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=unit,
        title=title,
        kind="group",
        authors=[author("Nguyễn Thị Hoà"), author("Lương Đức Thắng", representative=False)],
    )
    services.entry_submit(entry=entry, by=owner)
    loaded = entry_for_receipt(user=owner, entry_id=entry.pk)

    pdf = receipt_pdf(entry=loaded)

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    sha = loaded.files.get().sha256
    assert title in flat
    assert sha in text.replace("\n", "")
    assert "Nguyễn Thị Hoà" in flat
    assert loaded.tracking_code in flat
    (artifacts_dir / "intake-receipt.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(artifacts_dir / "intake-receipt.pdf"),
            str(artifacts_dir / "intake-receipt"),
        ],
        check=True,
    )
    fonts = subprocess.run(
        ["pdffonts", str(artifacts_dir / "intake-receipt.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert sorted(line.split()[0].split("+")[1] for line in fonts.splitlines()[2:]) == [
        "Receipt-Serif",
        "Receipt-Serif-Bold",
        "Receipt-Serif-Italic",
    ]


def test_receipt_pdf_view_for_owner(client):
    contest = open_contest()
    owner = UserFactory()
    entry = ready_draft(contest=contest, owner=owner, unit=UnitFactory(contest=contest))
    services.entry_submit(entry=entry, by=owner)
    client.force_login(owner)

    response = client.get(reverse("submissions:receipt_pdf", args=[entry.pk]))

    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
