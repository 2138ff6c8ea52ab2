"""No state change on GET (issue 7, item 9): every URL pattern of the portal, requested with
GET by a superuser who holds every role, leaves the row count of every table as it was, and
none answers with a server error. Audit rows (refused accesses) and sessions are not state."""

import pytest
from django.apps import apps
from django.test import Client

from accounts.security import AUDIT_ACTIONS
from config.security import ACCESS_REFUSED
from contest.models import Event
from tests.security.portal import populated_portal
from tests.security.report import figure_write
from tests.security.urlwalk import routes

pytestmark = pytest.mark.django_db

NOT_STATE = {"sessions.session", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}
AUDIT = AUDIT_ACTIONS | {ACCESS_REFUSED}


def row_counts() -> dict[str, int]:
    counts = {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_STATE and m is not Event
    }
    counts["contest.event (without audit rows)"] = Event.objects.exclude(action__in=AUDIT).count()
    return counts


def test_get_on_every_url_changes_no_row_and_never_fails():
    portal = populated_portal()
    client = Client(raise_request_exception=False)
    client.force_login(portal.superuser)
    walked = routes(contest=portal.contest)

    changed, errors, statuses = {}, {}, {}
    for route in walked:
        before = row_counts()
        response = client.get(route.path)
        after = row_counts()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            errors[route.path] = response.status_code
        diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if diff:
            changed[route.path] = diff
    figure_write(
        "get_safety",
        title="GET không thay đổi dữ liệu",
        rows=[
            ("địa chỉ (URL) đã gọi bằng GET", len(walked)),
            ("địa chỉ làm thay đổi số dòng dữ liệu", len(changed)),
            ("lỗi máy chủ (5xx)", len(errors)),
            ("mã trả lời", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))),
        ],
        ok=not changed and not errors,
    )

    assert len(walked) > 200
    assert changed == {}
    assert errors == {}
    assert statuses.get(200, 0) > 100
