"""Every URL of the portal, enumerated from the URL conf (so a new view is covered without
touching the tests), with its parameters filled from a populated database: `<x>_id` takes the
primary key of the model named like x, an admin `object_id` the first row of that admin's
model, a slug the contest's slug. Shared by the CSRF, GET-safety and access checks."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

MADE_UP_ID = 987654


@dataclass(frozen=True)
class Route:
    regex: str  # the full pattern, for messages
    path: str  # a concrete path to request
    view: str  # module.name of the view


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + regex)
        else:
            callback = pattern.callback
            view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
            yield prefix + regex, view


def _models_by_name() -> dict[str, type]:
    return {m._meta.model_name: m for m in apps.get_models()}


def _first_pk(model) -> int:
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return pk if pk is not None else MADE_UP_ID


def _value(name: str, regex: str, contest) -> str:
    models = _models_by_name()
    admin = re.match(r"quan\\-tri/(\w+)/(\w+)/", regex)
    if name in ("object_id", "pk", "id") and admin and admin.group(2) in models:
        return str(_first_pk(models[admin.group(2)]))
    if name == "app_label":
        return "contest"
    if name == "slug":
        return contest.slug
    if name == "url":
        return "khong-co-trang-nay/"
    if name.endswith("_id"):
        stem = name.removesuffix("_id").replace("_", "")
        exact = models.get(stem)
        if exact is None:
            ends = sorted(m for m in models if m.endswith(stem))
            exact = models[ends[0]] if ends else None
        return str(_first_pk(exact) if exact else MADE_UP_ID)
    if f"(?P<{name}>[0-9]+)" in regex or name == "uidb36":
        return "1"
    return "x1"


def routes(*, contest) -> list[Route]:
    """One concrete path per URL pattern (allauth and the admin included)."""
    found = []
    for regex, view in _walk(get_resolver().url_patterns):
        template, params = normalize(regex)[0]
        values = {p: _value(p, regex, contest) for p in params}
        found.append(Route(regex=regex, path="/" + template % values, view=view))
    return found
