"""Two-step login with an authenticator app (TOTP, django-otp): enrolment and the code step
after the password. Optional for everyone; required for privileged users only when
PORTAL_REQUIRE_OTP_FOR_STAFF is set (config.security.OTPStepMiddleware enforces it)."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.security import SESSION_OTP_PENDING
from contest.services import event_record

DEVICE_NAME = "Ứng dụng xác thực"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực 6 chữ số"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": gettext_lazy("Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực."),
            "min_length": gettext_lazy("Mã xác thực gồm đúng 6 chữ số."),
            "max_length": gettext_lazy("Mã xác thực gồm đúng 6 chữ số."),
        },
    )

    def clean_token(self) -> str:
        value = "".join(self.cleaned_data["token"].split())
        if not value.isdigit():
            raise forms.ValidationError(_("Mã xác thực chỉ gồm chữ số."))
        return value


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The one unconfirmed device of a user, created when enrolment starts."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    event_record(target=user, actor=user, action="otp_enrolled")


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if confirmed and not user.is_verified():
        # Replacing a device needs the code of the current one first.
        return redirect("security:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = TokenForm()
    if request.method == "POST":
        if request.POST.get("action") == "start":
            totp_device_start(user=user)
            return redirect("security:otp_setup")
        form = TokenForm(request.POST)
        if device is not None and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                totp_device_confirm(user=user, device=device)
                otp_login(request, device)
                request.session[SESSION_OTP_PENDING] = False
                messages.success(request, _("Đã bật đăng nhập hai bước."))
                return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
            form.add_error(
                "token",
                _("Mã chưa đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã đang hiện."),
            )
    context = {"form": form, "device": device, "confirmed": confirmed, "next": _safe_next(request)}
    if device is not None:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "security/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session[SESSION_OTP_PENDING] = False
            return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
        event_record(target=request.user, actor=request.user, action="otp_failed")
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới."))
    return render(request, "security/otp_verify.html", {"form": form, "next": _safe_next(request)})
