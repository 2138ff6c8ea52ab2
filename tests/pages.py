"""Shared by the page tests: a GET whose queries are counted."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def captured_get(client, url, params=None) -> tuple[list[str], str]:
    """The SQL of a warm GET (a first one fills the session and content-type caches) and the
    page's HTML; the page must answer 200."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [q["sql"] for q in captured], response.content.decode()


def counted_get(client, url, params=None) -> tuple[int, str]:
    """The number of queries of a warm GET and the page's HTML (see captured_get)."""
    sql, html = captured_get(client, url, params)
    return len(sql), html
