"""How django-allauth behaves in this portal: its mail leaves through a Celery task after
the transaction commits (through contest.outbox), and its messages are Vietnamese."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from contest.outbox import outbox_enqueue

from .tasks import task_send_account_mail


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Thư điện tử hoặc mật khẩu không đúng."),
        "email_taken": _("Địa chỉ thư điện tử này đã được dùng để đăng ký tài khoản."),
        "too_many_login_attempts": _(
            "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."
        ),
        "rate_limited": _("Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại."),
        "account_inactive": _("Tài khoản này đang bị khóa."),
        "unknown_email": _("Địa chỉ thư điện tử này chưa đăng ký tài khoản nào."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = next(
            (
                content
                for content, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            "",
        )
        payload = {
            "subject": str(message.subject),
            "body": str(message.body),
            "html": str(html),
            "from_email": str(message.from_email),
            "to": list(message.to),
        }
        outbox_enqueue(task_send_account_mail, **payload)
