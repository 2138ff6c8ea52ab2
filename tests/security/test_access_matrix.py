"""The access matrix: every URL pattern of the portal, requested by every member of a fixed
cast against every party's objects. Allowed requests succeed; every other one answers exactly
like a missing object (the same status and body; a login redirect for anonymous visitors),
never a server error. New URL patterns are covered automatically: a URL name this file does
not know fails the test until its allow-list is added below."""

import itertools
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.security.cast import MEMBERS, cast_build
from tests.security.crawl import body_of, normalised, response_text, routes
from tests.security.report import figure_write

# --- what each parameter is filled with: (label, value) per party -------------------------
PARAM_LABELS = {
    "entry_id": ("e1d", "e1s", "e1a", "e2s", "e2a"),
    "file_id": ("f1s", "f1a", "f2s", "f2a"),
    "unit_id": ("A", "B", "D", "K", "X"),
    "batch_id": ("bA", "bB"),
    "letter_id": ("lA", "lD"),
    "contest_id": ("c1", "c2"),
    "slug": ("c1", "c2"),
    "sheet_id": ("s1", "s2"),
    "award_id": ("aw1",),
    "certificate_id": ("cert1",),
}
# Parameters that are not objects: fixed values, and their "missing" counterpart.
MISSING_INT = 987654
MISSING_STR = "khong-ton-tai"
FIXED_VALUES = {
    "index": ((("i0", 0),), MISSING_INT),
    "kind": ((("merit", "merit"), ("committee", "committee")), MISSING_STR),
    "number": ((("cert1", "BK-2025-0001"),), MISSING_STR),
    "key": ((("key", "khong-hop-le"),), MISSING_STR),
    "uidb36": ((("uid", "zz"),), "zy"),
}
# A URL whose parameter means something else than the table above, or whose combinations
# are narrowed (three parameters: the files that matter to judges, not all of them).
PARAM_OVERRIDES = {
    ("submissions:step", "slug"): (("step", "tac-gia"),),
    ("language", "code"): (("en", "en"),),
}
UNIT_ROUTE_UNITS = ("A", "B", "D", "K")
UNIT_ROUTE_ENTRIES = ("e1s", "e1a", "e2s", "e2a")
# The screening actions share units:entry's access helper: one entry of each entrant.
ACTION_ENTRIES = ("e1s", "e2s")
NARROWED = {
    ("units:entry", "unit_id"): UNIT_ROUTE_UNITS,
    ("units:entry", "entry_id"): UNIT_ROUTE_ENTRIES,
    **{
        (f"units:{name}", param): labels
        for name in (
            "entry_start_screening",
            "entry_reject",
            "entry_select",
            "entry_appraise",
            "entry_certify",
            "entry_certify_amend",
            "entry_pass_up",
        )
        for param, labels in (("unit_id", UNIT_ROUTE_UNITS), ("entry_id", ACTION_ENTRIES))
    },
    ("submissions:paper_edit", "unit_id"): UNIT_ROUTE_UNITS,
    ("judging:file_download", "entry_id"): ("e1s", "e1a", "e2a"),
    ("judging:file_download", "file_id"): ("f1s", "f1a", "f2a"),
    ("judging:file_text", "entry_id"): ("e1s", "e1a", "e2a"),
    ("judging:file_text", "file_id"): ("f1s", "f1a", "f2a"),
}

EVERYONE = frozenset(MEMBERS)
SIGNED_IN = EVERYONE - {"anonymous"}
UNIT_A = ("staff_a", "head_a")
UNIT_B = ("staff_b", "head_b")
JUDGES = ("judge1", "judge2", "judge_conflicted")
SEC = ("secretariat",)
ORG = ("organizer",)
SEC_ORG = SEC + ORG


def _grant(members, targets) -> dict[str, frozenset[str]]:
    return {m: frozenset(targets) for m in members}


def _merge(*parts) -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for part in parts:
        for member, targets in part.items():
            merged.setdefault(member, set()).update(targets)
    return {m: frozenset(t) for m, t in merged.items()}


ALL = "*"
# URL name -> {member: targets it may reach}. A target is the labels of its parameters in
# route order joined by "/"; ALL is every target (pages without objects, public pages).
OWN_ENTRIES = _merge(
    _grant(["entrant1"], ["e1d", "e1s", "e1a"]), _grant(["entrant2"], ["e2s", "e2a"])
)
RECEIPT = _merge(
    _grant(["entrant1"], ["e1s", "e1a"]),
    _grant(["entrant2"], ["e2s", "e2a"]),
    _grant(UNIT_A, ["e1s", "e1a"]),
    _grant(UNIT_B, ["e2a"]),
    _grant(["commune_staff", "district_staff"], ["e2s"]),
    _grant(SEC_ORG, ["e1s", "e1a", "e2s", "e2a"]),
)
FILES = {m: frozenset(t.replace("e", "f", 1) for t in ts) for m, ts in RECEIPT.items()}
UNIT_PAGES = _merge(
    _grant(UNIT_A, ["A"]),
    _grant(UNIT_B, ["B"]),
    _grant(["commune_staff"], ["K"]),
    _grant(["district_staff"], ["D"]),
)
UNIT_ENTRIES = _merge(
    _grant(UNIT_A, ["A/e1s", "A/e1a"]),
    _grant(UNIT_B, ["B/e2a"]),
    _grant(["commune_staff"], ["K/e2s"]),
    _grant(["district_staff"], ["D/e2s"]),
)
C1 = ["c1"]
JUDGE_PAGES = _grant((*JUDGES, *SEC_ORG), C1)

ALLOW: dict[str, dict[str, frozenset[str] | str]] = {
    # public pages
    "healthz": dict.fromkeys(EVERYONE, ALL),
    "home": dict.fromkeys(EVERYONE, ALL),
    "contest_home": dict.fromkeys(EVERYONE, ALL),
    "lookup": dict.fromkeys(EVERYONE, ALL),
    "set_language": dict.fromkeys(EVERYONE, ALL),
    "language": dict.fromkeys(EVERYONE, ALL),
    "awards:results": dict.fromkeys(EVERYONE, ALL),
    # a certificate of an unpublished award set is not verifiable by anyone yet
    "awards:verify": {},
    # signed-in pages whose content is the user's own
    "accounts:profile": dict.fromkeys(SIGNED_IN, ALL),
    "accounts:my_entries": dict.fromkeys(SIGNED_IN, ALL),
    "security:otp_setup": dict.fromkeys(SIGNED_IN, ALL),
    "security:otp_verify": dict.fromkeys(SIGNED_IN, ALL),
    "submissions:start": dict.fromkeys(SIGNED_IN, ALL),
    "units:index": dict.fromkeys(SIGNED_IN, ALL),
    "secretariat:index": dict.fromkeys(SIGNED_IN, ALL),
    "judging:home": dict.fromkeys(SIGNED_IN, ALL),
    "awards:organizer_home": dict.fromkeys(SEC_ORG, ALL),
    # intake
    "submissions:resume": OWN_ENTRIES,
    "submissions:step": {m: frozenset(f"{t}/step" for t in ts) for m, ts in OWN_ENTRIES.items()},
    "submissions:review": OWN_ENTRIES,
    "submissions:receipt": RECEIPT,
    "submissions:receipt_pdf": RECEIPT,
    "submissions:withdraw": _grant(["entrant1"], ["e1s"]),
    "submissions:file_remove": _merge(
        _grant(["entrant1"], [f"{e}/{f}" for e in ("e1d", "e1s", "e1a") for f in ("f1s", "f1a")]),
        _grant(["entrant2"], [f"{e}/{f}" for e in ("e2s", "e2a") for f in ("f2s", "f2a")]),
    ),
    "submissions:file_download": FILES,
    "submissions:paper_new": _grant(["staff_a"], ["A"])
    | _grant(["staff_b"], ["B"])
    | _grant(["commune_staff"], ["K"])
    | _grant(["district_staff"], ["D"]),
    "submissions:paper_edit": {},  # no paper drafts in the cast
    # receiving units
    "units:dashboard": UNIT_PAGES,
    "units:entry": UNIT_ENTRIES,
    "units:entry_start_screening": UNIT_ENTRIES,
    "units:entry_reject": UNIT_ENTRIES,
    "units:entry_select": UNIT_ENTRIES,
    "units:entry_appraise": UNIT_ENTRIES,
    "units:entry_certify": UNIT_ENTRIES,
    "units:entry_certify_amend": UNIT_ENTRIES,
    "units:entry_pass_up": UNIT_ENTRIES,
    "units:forward": _grant(["staff_a"], ["A"])
    | _grant(["staff_b"], ["B"])
    | _grant(["district_staff"], ["D"]),
    "units:cover_letter": _merge(_grant(UNIT_A, ["A/bA"]), _grant(UNIT_B, ["B/bB"])),
    "units:explanation": _merge(
        _grant(UNIT_A, ["A"]), _grant(UNIT_B, ["B"]), _grant(["district_staff"], ["D"])
    ),
    "units:explanation_download": _merge(
        _grant(UNIT_A, ["A/lA"]), _grant(["district_staff"], ["D/lD"])
    ),
    # secretariat
    "secretariat:compliance": _grant(SEC_ORG, C1),
    "secretariat:compliance_xlsx": _grant(SEC_ORG, C1),
    "secretariat:intake": _grant(SEC, C1),
    "secretariat:entry_accept": _grant(SEC, [f"c1/{e}" for e in ("e1a", "e2a")]),
    "secretariat:entry_return": _grant(SEC, [f"c1/{e}" for e in ("e1a", "e2a")]),
    # the organizing committee reads the dispatches behind the compliance board
    "secretariat:cover_letter": _grant(SEC_ORG, ["c1/bA", "c1/bB"]),
    "secretariat:explanation_download": _grant(SEC_ORG, ["c1/lA", "c1/lD"]),
    # judging
    "judging:contest": JUDGE_PAGES,
    "judging:queue": _grant(JUDGES, C1),
    "judging:conflicts": _grant(JUDGES, C1),
    "judging:sheet": _merge(_grant(["judge1"], ["c1/e1a"]), _grant(["judge2"], ["c1/e2a"])),
    "judging:sheet_presentation": {},  # nothing is assigned to the presentation round
    "judging:file_download": _merge(
        _grant(["judge1"], ["c1/e1a/f1a"]), _grant(["judge2"], ["c1/e2a/f2a"])
    ),
    "judging:file_text": _merge(
        _grant(["judge1"], ["c1/e1a/f1a"]), _grant(["judge2"], ["c1/e2a/f2a"])
    ),
    "judging:assignments": _grant(SEC, C1),
    "judging:secretariat_conflicts": _grant(SEC, C1),
    "judging:progress": _grant(SEC_ORG, C1),
    "judging:reopen": _grant(SEC, ["c1/s1", "c1/s2"]),
    "judging:scores_import": _grant(SEC, C1),
    "judging:score_template": _grant(SEC, C1),
    "judging:duplicates": _grant(SEC, C1),
    "judging:entry_ineligible": _grant(SEC, ["c1/e1a", "c1/e2a"]),
    "judging:settings": _grant(SEC, C1),
    "judging:presentation": _grant(SEC, C1),
    "judging:ranking": _grant(SEC_ORG, C1),
    # awards (organizing committee)
    "awards:dashboard": _grant(ORG, C1),
    "awards:compute": _grant(ORG, C1),
    "awards:decide_tie": {},  # no tie in the cast
    "awards:change_award": _grant(ORG, ["c1/aw1"]),
    "awards:approve": _grant(ORG, C1),
    "awards:reopen": _grant(ORG, C1),
    "awards:publish": _grant(ORG, C1),
    "awards:settings": _grant(ORG, C1),
    "awards:annex_pdf": {},  # needs an approved award set
    "awards:annex_xlsx": {},
    "awards:certificates_generate": _grant(ORG, C1),
    "awards:certificates_progress": _grant(ORG, C1),
    "awards:certificates_merged": _grant(ORG, ["c1/merit", "c1/committee"]),
    "awards:certificate_file": _grant(ORG, ["c1/cert1"]),
    "awards:layout": _grant(ORG, ["c1/merit", "c1/committee"]),
    "awards:overprint": _grant(ORG, ["c1/merit", "c1/committee"]),
    "awards:calibration": _grant(ORG, ["c1/merit", "c1/committee"]),
    "awards:reports": _grant(SEC_ORG, C1),
    "awards:report_pdf": _grant(SEC_ORG, C1),
    "awards:entries_xlsx": _grant(SEC_ORG, C1),
}
# allauth's pages: public forms and key links (a wrong key is refused on the page itself).
ALLAUTH_PUBLIC = "account_"
# The admin site: nobody of the cast is admin staff; every admin URL sends them to its login
# (walked by three members: the admin refuses everyone without is_staff the same way).
ADMIN_NAMESPACE = "admin"
ADMIN_WALKERS = ("anonymous", "entrant1", "secretariat")
ADMIN_PUBLIC = {"admin:login", "admin:logout"}

# Whose entries each member may read a trace of (the "TT-<label>" marker of a title) on any
# page, list, export or PDF. Judges read titles (blind judging hides people, not titles).
VISIBLE_ENTRIES = {
    "anonymous": set(),
    "entrant1": {"e1d", "e1s", "e1a"},
    "entrant2": {"e2s", "e2a"},
    "staff_a": {"e1s", "e1a"},
    "head_a": {"e1s", "e1a"},
    "staff_b": {"e2a"},
    "head_b": {"e2a"},
    "commune_staff": {"e2s"},
    "district_staff": {"e2s"},
    "judge1": {"e1a", "e2a"},
    "judge2": {"e1a", "e2a"},
    "judge_conflicted": {"e1a", "e2a"},
    "secretariat": {"e1s", "e1a", "e2s", "e2a"},
    "organizer": {"e1s", "e1a", "e2s", "e2a"},
}
ENTRY_LABELS = PARAM_LABELS["entry_id"]


def _choices(cast, route, param):
    override = PARAM_OVERRIDES.get((route.name, param))
    if override:
        return list(override), override[0][1]
    if param in FIXED_VALUES:
        values, missing = FIXED_VALUES[param]
        return list(values), missing
    if param in PARAM_LABELS:
        values = []
        for label in NARROWED.get((route.name, param), PARAM_LABELS[param]):
            obj = cast.objects[label]
            values.append((label, obj.slug if param == "slug" else obj.pk))
        return values, (MISSING_STR if param == "slug" else MISSING_INT)
    if route.namespace.split(":")[0] == ADMIN_NAMESPACE or route.name is None:
        value = "submissions" if param == "app_label" else str(cast.pk("e1s"))
        return [("adm", value)], ("submissions" if param == "app_label" else str(MISSING_INT))
    return None, None


def _known(name: str | None, route) -> bool:
    if route.namespace.split(":")[0] == ADMIN_NAMESPACE:
        return True
    return name is not None and (name in ALLOW or name.startswith(ALLAUTH_PUBLIC))


def _allowed(name, member, target) -> bool:
    if name.startswith(ALLAUTH_PUBLIC) or name in ADMIN_PUBLIC:
        return True
    grants = ALLOW.get(name, {}).get(member)
    if grants is None:
        return False
    return grants == ALL or target in grants


def _path(route, values) -> str:
    if route.namespace.split(":")[0] == ADMIN_NAMESPACE or route.name is None:
        # admin patterns (some unnamed, some regular expressions): fill the route itself
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.route)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
        return "/" + path.replace("^", "").replace("$", "")
    return reverse(route.name, kwargs=values)


def accepts_post(path: str) -> bool:
    """Whether the view behind `path` takes POST: read from Django's require_http_methods
    closure when the view is decorated with it; an undecorated view takes every method."""
    func = resolve(path).func
    while func is not None:
        cells = dict(zip(func.__code__.co_freevars, func.__closure__ or (), strict=False))
        if "request_method_list" in cells:
            return "POST" in cells["request_method_list"].cell_contents
        func = getattr(func, "__wrapped__", None)
    return True


def _is_login_redirect(response) -> bool:
    location = urlsplit(response.get("Location", "")).path
    return response.status_code == 302 and location in {
        reverse("account_login"),
        reverse("admin:login"),
    }


def _snapshot(response, path: str) -> tuple:
    """Status and body, without what names the request itself (the language switcher's
    "next" field repeats the path), so a refusal compares equal to a missing object."""
    if 300 <= response.status_code < 400:
        return response.status_code, urlsplit(response.get("Location", "")).path
    body = response._walk_body.replace(path.encode(), b"<path>")
    return response.status_code, normalised(body)


class Walk:
    def __init__(self, cast):
        self.cast = cast
        self.clients = {}
        for member in MEMBERS:
            client = Client(raise_request_exception=False)
            user = cast.user(member)
            if user is not None:
                client.force_login(user)
            self.clients[member] = client
        self.requests = 0
        self.server_errors: list[str] = []
        self.leaks: list[str] = []
        self.refused_allowed: list[str] = []
        self.by_status: Counter = Counter()
        self.baselines: dict[tuple, tuple] = {}

    def send(self, member, method, path):
        client = self.clients[member]
        response = client.post(path) if method == "POST" else client.get(path)
        body = body_of(response)
        response._walk_body = body
        self.drop_pending_messages(member, response)
        self.requests += 1
        self.by_status[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{member} {method} {path} → {response.status_code}")
        return response

    def visible_markers_check(self, member, method, path, response):
        if response.status_code >= 300:
            return
        text = response_text(response, response._walk_body)
        seen = {label for label in ENTRY_LABELS if f"TT-{label}" in text}
        hidden = seen - VISIBLE_ENTRIES[member]
        if hidden:
            self.leaks.append(f"{member} {method} {path} shows entries {sorted(hidden)}")

    def walk_route(self, route):
        choice_lists, missing = [], {}
        name = route.name or f"admin:{route.route}"
        admin = route.namespace.split(":")[0] == ADMIN_NAMESPACE
        for param in route.params:
            values, missing_value = _choices(self.cast, route, param)
            assert values is not None, (
                f"URL {route.name or route.route} has a parameter {param!r} the access matrix "
                "cannot fill: add it to PARAM_LABELS or FIXED_VALUES in "
                "tests/security/test_access_matrix.py"
            )
            choice_lists.append(values)
            missing[param] = missing_value
        for member in ADMIN_WALKERS if admin else MEMBERS:
            for combo in itertools.product(*choice_lists):
                target = "/".join(label for label, _v in combo)
                values = {p: v for p, (_l, v) in zip(route.params, combo, strict=True)}
                path = _path(route, values)
                allowed = (not admin or name in ADMIN_PUBLIC) and _allowed(name, member, target)
                post = not allowed and not admin and member != "anonymous" and accepts_post(path)
                for method in ("GET", "POST") if post else ("GET",):
                    response = self.send(member, method, path)
                    if allowed:
                        self.visible_markers_check(member, method, path, response)
                        if response.status_code >= 400 and response.status_code != 405:
                            self.refused_allowed.append(
                                f"{member} GET {path} ({target}) → {response.status_code}"
                            )
                        continue
                    self._check_refused(
                        route, member, method, path, target, response, values, missing
                    )

    def _check_refused(self, route, member, method, path, target, response, values, missing):
        status = response.status_code
        if status >= 500:
            return
        if not route.params:
            # a page without objects: refused means a 404, a 405 or a login page
            if status in (404, 405) or _is_login_redirect(response):
                return
            self.leaks.append(f"{member} {method} {path} → {status} (expected 404)")
            return
        # "Like a missing object": the same answer as when one of the objects named in the
        # URL (or all of them) does not exist.
        variants = [dict(values, **{param: missing[param]}) for param in route.params]
        variants.append(dict(missing))
        answers = [self.baseline(member, method, _path(route, v)) for v in variants]
        if _snapshot(response, path) not in answers:
            self.leaks.append(
                f"{member} {method} {path} ({target}) → {status}, "
                f"a missing object answers {sorted({a[0] for a in answers})}"
            )

    def drop_pending_messages(self, member, response):
        """A request that redirects leaves its flash message for the next page, which may be a
        refusal compared with a missing object: the message is dropped (a refused request
        redirects only where a missing object does the same, so nothing is hidden)."""
        client = self.clients[member]
        client.cookies.pop("messages", None)
        if 300 <= response.status_code < 400 and member != "anonymous":
            session = client.session
            if session.pop("_messages", None) is not None:
                session.save()

    def baseline(self, member, method, path):
        key = (member, method, path)
        if key not in self.baselines:
            self.baselines[key] = _snapshot(self.send(member, method, path), path)
        return self.baselines[key]


@pytest.mark.django_db
def test_access_matrix_refuses_everything_not_allowed_like_a_missing_object():
    # Arrange
    all_routes = routes()
    unknown = sorted({r.name or r.route for r in all_routes if not _known(r.name, r)})
    assert unknown == [], (
        "URL patterns the access matrix does not know: "
        f"{unknown}. New URL patterns are covered automatically: add each name to ALLOW in "
        "tests/security/test_access_matrix.py with who may reach which party's objects."
    )
    cast = cast_build()
    walk = Walk(cast)

    # Act
    for route in all_routes:
        walk.walk_route(route)

    # Assert
    figure_write(
        "access_matrix",
        title="Ma trận truy cập (mọi URL × mọi vai trò × đối tượng của mọi bên)",
        rows=[
            ("URL patterns", len(all_routes)),
            ("Requests", walk.requests),
            ("Leaks", len(walk.leaks)),
            ("Server errors", len(walk.server_errors)),
            ("Allowed but refused", len(walk.refused_allowed)),
        ],
        ok=not walk.leaks and not walk.server_errors and not walk.refused_allowed,
    )
    report = "\n".join(walk.server_errors + walk.leaks + walk.refused_allowed)
    assert (walk.server_errors, walk.leaks, walk.refused_allowed) == ([], [], []), report


def test_access_matrix_knows_every_url_name():
    # Arrange / Act
    unknown = sorted({r.name or r.route for r in routes() if not _known(r.name, r)})

    # Assert
    assert unknown == [], (
        f"Add these URL names to ALLOW in tests/security/test_access_matrix.py: {unknown}"
    )
