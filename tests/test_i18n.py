"""The interface in English through Django's i18n: Vietnamese by default, English on request
(browser language or the language chosen in the footer)."""

import re

import pytest
from django.conf import settings

from tests.factories import ContestFactory


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip()
        for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
    ]


@pytest.fixture
def open_contest(db):
    return ContestFactory()


def test_landing_page_is_vietnamese_by_default(client, open_contest):
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()
    assert {"Đối tượng dự thi", "Cách gửi bài", "Thời gian", "Cơ cấu giải thưởng"} <= set(
        headings(response.content.decode())
    )


def test_landing_page_is_english_for_a_browser_asking_for_english(client, open_contest):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert {"Who may enter", "How to submit", "Timeline", "Prizes"} <= set(headings(html))
    assert "Đối tượng dự thi" not in html


def test_landing_page_is_english_with_the_language_cookie(client, open_contest):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/", headers={"accept-language": "vi"})

    assert response["Content-Language"] == "en"
    assert {"Who may enter", "How to submit", "Timeline", "Prizes"} <= set(
        headings(response.content.decode())
    )


def test_choosing_english_in_the_footer_switches_the_pages(client, open_contest):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Content-Language"] == "en"


def test_model_and_enum_labels_are_translated(open_contest):
    from django.utils import translation

    from contest.enums import UnitType
    from submissions.enums import EntryStatus

    with translation.override("en"):
        labels = [
            str(EntryStatus.FORWARDED.label),
            str(UnitType.DISTRICT.label),
            str(type(open_contest)._meta.verbose_name),
        ]

    assert labels == [
        "Forwarded to the Organizing Committee",
        "District People's Committee",
        "contest",
    ]
