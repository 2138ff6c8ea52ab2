"""The login audit: every login, failed login, logout and expired session is one row of the
append-only event log (contest.models.Event) with who, what and when. Connected to Django's
auth signals in AccountsConfig.ready(); also the django-axes hooks."""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

LOGIN_SUCCEEDED = "login_succeeded"
LOGIN_FAILED = "login_failed"
LOGGED_OUT = "logged_out"
SESSION_EXPIRED = "session_expired"
AUDIT_ACTIONS = frozenset({LOGIN_SUCCEEDED, LOGIN_FAILED, LOGGED_OUT, SESSION_EXPIRED})


def axes_username(request, credentials: dict | None) -> str:
    """The key django-axes counts failures under: the e-mail as the login form sends it
    (allauth passes `email`, the admin form `username`), case and spaces ignored, so
    "A@x.vn " and "a@x.vn" share one counter."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or ""
    return str(value).strip().lower()[:254]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (HTTP 429): how long to wait, and the way out."""
    from django.conf import settings
    from django.shortcuts import render

    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "security/locked_out.html", context, status=429)


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


def _record(*, target, action: str, actor=None, reason: str = "", data: dict) -> None:
    from contest.services import event_record

    event_record(target=target, actor=actor, action=action, reason=reason, data=data)


@receiver(user_logged_in, dispatch_uid="accounts.security.login_succeeded")
def login_succeeded(sender, request, user, **kwargs) -> None:
    """Records the login and starts the session clocks that config.security reads."""
    import time

    from django_otp import user_has_device

    from config.security import (
        SESSION_LOGIN_AT,
        SESSION_OTP_PENDING,
        SESSION_PRIVILEGED,
        SESSION_SEEN_AT,
        user_is_privileged,
    )

    _record(target=user, actor=user, action=LOGIN_SUCCEEDED, data=_client(request))
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SESSION_LOGIN_AT] = now
    session[SESSION_SEEN_AT] = now
    session[SESSION_PRIVILEGED] = user_is_privileged(user)
    session[SESSION_OTP_PENDING] = user_has_device(user, confirmed=True)


@receiver(user_login_failed, dispatch_uid="accounts.security.login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Records a failed attempt against the account it named; an address with no account is
    recorded against the user model itself, so nobody learns which addresses exist."""
    attempted = axes_username(request, credentials)
    user = get_user_model().objects.filter(email__iexact=attempted).first() if attempted else None
    target = user or ContentType.objects.get_for_model(get_user_model())
    data = {
        "email": attempted,
        "locked_out": bool(getattr(request, "axes_locked_out", False)),
        **_client(request),
    }
    _record(target=target, action=LOGIN_FAILED, data=data)


@receiver(user_logged_out, dispatch_uid="accounts.security.logged_out")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk is not None:
        _record(target=user, actor=user, action=LOGGED_OUT, data=_client(request))


def session_expired_record(*, user, reason: str) -> None:
    """Called by config.security.SessionTimeoutMiddleware before it logs the user out."""
    _record(target=user, actor=user, action=SESSION_EXPIRED, reason=reason, data={})
