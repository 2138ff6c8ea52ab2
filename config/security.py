"""Cross-cutting security middleware: session timeouts for the roles that hold other people's
data, the second login step for users with an authenticator app, and the audit of refused
accesses. Each reads only the session and the already loaded user on an ordinary request, so
it adds no query to a page."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Session keys written at login (accounts/security.py) and read here.
SESSION_LOGIN_AT = "portal_login_at"
SESSION_SEEN_AT = "portal_seen_at"
SESSION_PRIVILEGED = "portal_privileged"
SESSION_OTP_PENDING = "portal_otp_pending"

# Last activity is written at most this often, so an ordinary request saves no session.
ACTIVITY_RESOLUTION_SECONDS = 60

# Refused accesses recorded in the event log (contest.models.Event) with this action.
ACCESS_REFUSED = "access_refused"


def user_is_privileged(user) -> bool:
    """Staff, unit heads, secretariat, judges and organizers: anyone with a role or admin."""
    from contest.selectors import roles_of

    return bool(user.is_staff or roles_of(user).any_role())


def _skipped_path(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, "/healthz", "/favicon"))


def _login_redirect(request, message: str):
    messages.warning(request, message)
    login_url = reverse(settings.LOGIN_URL)
    next_url = request.get_full_path() if request.method == "GET" else ""
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Redirect": login_url})
    if next_url:
        return redirect_to_login(next_url, login_url)
    return redirect(login_url)


class SessionTimeoutMiddleware:
    """Idle and absolute session limits for privileged users (settings
    PORTAL_STAFF_IDLE_TIMEOUT, PORTAL_STAFF_ABSOLUTE_TIMEOUT, in seconds). Wall-clock time
    (time.time), so a test or a view that moves the application's clock moves no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _skipped_path(request.path):
            expired = self._expired(request, user)
            if expired:
                return expired
        return self.get_response(request)

    def _expired(self, request, user):
        session = request.session
        privileged = session.get(SESSION_PRIVILEGED)
        if privileged is None:
            privileged = user_is_privileged(user)
            session[SESSION_PRIVILEGED] = privileged
        if not privileged:
            return None
        now = time.time()
        login_at = session.setdefault(SESSION_LOGIN_AT, now)
        seen_at = session.get(SESSION_SEEN_AT, login_at)
        reason = ""
        if now - login_at >= settings.PORTAL_STAFF_ABSOLUTE_TIMEOUT:
            reason = "absolute_timeout"
            message = _(
                "Phiên làm việc đã quá %(hours)s giờ kể từ khi đăng nhập nên đã kết thúc để bảo "
                "vệ dữ liệu. Vui lòng đăng nhập lại."
            ) % {"hours": settings.PORTAL_STAFF_ABSOLUTE_TIMEOUT // 3600}
        elif now - seen_at >= settings.PORTAL_STAFF_IDLE_TIMEOUT:
            reason = "idle_timeout"
            message = _(
                "Phiên làm việc đã kết thúc vì không có thao tác trong %(minutes)s phút. "
                "Vui lòng đăng nhập lại."
            ) % {"minutes": settings.PORTAL_STAFF_IDLE_TIMEOUT // 60}
        if reason:
            from accounts.security import session_expired_record

            session_expired_record(user=user, reason=reason)
            logout(request)
            return _login_redirect(request, message)
        if now - seen_at >= ACTIVITY_RESOLUTION_SECONDS:
            session[SESSION_SEEN_AT] = now
        return None


class OTPStepMiddleware:
    """After the password, a user with a confirmed authenticator app must enter its code
    before any other page; with PORTAL_REQUIRE_OTP_FOR_STAFF a privileged user without one
    must first enrol. Only the code pages, logout and static files stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _skipped_path(request.path):
            step = self._pending_step(request, user)
            if step and request.path not in self._open_paths(step):
                target = reverse(step)
                next_url = request.get_full_path() if request.method == "GET" else ""
                if next_url:
                    target = f"{target}?{urlencode({'next': next_url})}"
                return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open_paths(step: str) -> set[str]:
        # Only the page of the pending step: a user who still owes a code cannot reach the
        # enrolment page and replace the device with one of their own.
        return {reverse(step), reverse("account_logout")}

    @staticmethod
    def _pending_step(request, user) -> str:
        if user.is_verified():
            return ""
        if request.session.get(SESSION_OTP_PENDING):
            return "security:otp_verify"
        if settings.PORTAL_REQUIRE_OTP_FOR_STAFF and request.session.get(SESSION_PRIVILEGED):
            return "security:otp_setup"
        return ""


class AccessAuditMiddleware:
    """Records every 403 and 404 answered to a signed-in user (a refused access looks like a
    missing object on purpose, so both are recorded) in the append-only event log: who, what,
    when. Anonymous 404s are only logged, so a crawler cannot fill the table."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404) and not _skipped_path(request.path):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                self._record(request, user, response.status_code)
            else:
                log.info("refused %s %s (%s)", request.method, request.path, response.status_code)
        return response

    @staticmethod
    def _record(request, user, status: int) -> None:
        from contest.services import event_record

        try:
            event_record(
                target=user,
                actor=user,
                action=ACCESS_REFUSED,
                data={
                    "status": status,
                    "method": request.method,
                    "path": request.path[:500],
                    "ip": request.META.get("REMOTE_ADDR", ""),
                },
            )
        except DatabaseError:
            # The page still answers when the database refuses the row; the log keeps it.
            log.exception("could not record refused access to %s", request.path)
