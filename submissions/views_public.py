"""Public pages about entries: the look-up by tracking code (no login needed)."""

from django import forms
from django.core.validators import RegexValidator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .lookup import LookupRateLimited, entry_lookup, lookup_limits

NOT_FOUND_MESSAGE = _("Không tìm thấy bài dự thi với mã và số điện thoại này.")


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã bài dự thi"),
        max_length=40,
        help_text=_("Mã ghi trong thư xác nhận khi gửi bài; không phân biệt chữ hoa, chữ thường."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("4 số cuối điện thoại của người đại diện"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Nhập đúng 4 chữ số."))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        ),
    )


def _client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client unless a trusted proxy
    # rewrites it, so it cannot be the key of a limit.
    return request.META.get("REMOTE_ADDR") or "unknown"


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """POST only for the answer, so codes never appear in URLs or access logs; the result is
    rendered directly (refreshing asks to resend, which is harmless)."""
    form = LookupForm(request.POST or None)
    context = {"form": form, "result": None, "not_found": False, "limited": False}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = entry_lookup(
                code=form.cleaned_data["code"],
                phone_last4=form.cleaned_data["phone_last4"],
                client_ip=_client_ip(request),
            )
        except LookupRateLimited:
            context["limited"] = True
            max_failures, window = lookup_limits()
            context["limit"] = {"count": max_failures, "minutes": max(1, window // 60)}
            status = 429
        else:
            if result is None:
                context["not_found"] = True
                context["not_found_message"] = NOT_FOUND_MESSAGE
            else:
                context["result"] = result
                context["form"] = LookupForm()
    return render(request, "lookup/lookup.html", context, status=status)
