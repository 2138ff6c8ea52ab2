"""Blind judging canary: every author name, workplace, address, e-mail and unit name of the
cast carries a unique "CANARY-…" string. A judge crawls everything they can reach (links
followed from their home page, plus every judging URL filled with every party's objects):
no page, export or PDF may show one of those strings."""

import itertools
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.cast import cast_build
from tests.security.crawl import body_of, links_in, response_text, routes
from tests.security.report import figure_write
from tests.security.test_access_matrix import _choices, _path

JUDGES = ("judge1", "judge2", "judge_conflicted")
# Links a crawler must not follow: they end the session or change the language.
SKIP = ("/tai-khoan/logout/", "/i18n/", "/ngon-ngu/", "/static/", "/quan-tri/")
MAX_PAGES = 400


def _judging_paths(cast) -> list[str]:
    paths = []
    for route in routes():
        if not (route.name or "").startswith("judging:"):
            continue
        choice_lists = [_choices(cast, route, p)[0] for p in route.params]
        for combo in itertools.product(*choice_lists):
            values = {p: v for p, (_l, v) in zip(route.params, combo, strict=True)}
            paths.append(_path(route, values))
    return paths


def _crawl(client, start: list[str], canaries: set[str]) -> tuple[int, list[str]]:
    seen, hits = set(), []
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            location = urlsplit(response["Location"])
            if not location.netloc:
                queue.append(location.path + (f"?{location.query}" if location.query else ""))
            continue
        if response.status_code != 200:
            continue
        body = body_of(response)
        text = response_text(response, body)
        hits.extend(f"{path}: {c}" for c in canaries if c in text or c.lower() in text)
        if "html" in response.get("Content-Type", ""):
            queue.extend(link for link in links_in(text) if link not in seen)
    return len(seen), hits


@pytest.mark.django_db
def test_judges_never_see_authors_or_units_anywhere_they_can_reach():
    # Arrange
    cast = cast_build()
    canaries = set(cast.canaries.values())
    start = [reverse("home"), reverse("judging:home"), *_judging_paths(cast)]

    # Act
    pages, hits = 0, []
    for judge in JUDGES:
        client = Client(raise_request_exception=False)
        client.force_login(cast.user(judge))
        crawled, found = _crawl(client, start, canaries)
        pages += crawled
        hits += [f"{judge} {hit}" for hit in found]

    # The canaries are readable where people may see them (the crawl would find them).
    staff = Client()
    staff.force_login(cast.user("staff_a"))
    control = response_text(staff.get(reverse("units:entry", args=[cast.pk("A"), cast.pk("e1a")])))

    # Assert
    assert cast.canaries["author-e1a"] in control
    figure_write(
        "blind_canary",
        title="Chấm thi ẩn danh: chuỗi canary của tác giả và đơn vị",
        rows=[
            ("Canary strings planted", len(canaries)),
            ("Pages, exports and PDFs crawled by judges", pages),
            ("Canary hits", len(hits)),
        ],
        ok=not hits,
    )
    assert hits == []
