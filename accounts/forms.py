"""Forms of the account pages: they check the shape of the input, services do the rest."""

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .phone import phone_normalize


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "position", "workplace", "address"]
        labels = {
            "full_name": _("Họ và tên"),
            "phone": _("Số điện thoại"),
            "position": _("Chức vụ"),
            "workplace": _("Đơn vị công tác"),
            "address": _("Địa chỉ"),
        }
        help_texts = {
            "full_name": _("Viết đầy đủ, có dấu, như trên giấy tờ tùy thân."),
            "phone": _("10 chữ số bắt đầu bằng 0, hoặc dạng +84."),
            "position": _("Để trống nếu không giữ chức vụ."),
            "address": _("Nơi đang sinh sống trên địa bàn tỉnh Lạng Sơn."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "workplace": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return phone_normalize(value) if value else ""


# allauth's forms with the e-mail field named as the portal names it. Django's own
# Vietnamese catalog says "Email" and outranks ours, so the label is set here.
EMAIL_LABEL = _("Thư điện tử")


class _PortalEmailLabel:
    email_field_name = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.email_field_name)
        if field is not None:
            field.label = EMAIL_LABEL


class LoginForm(_PortalEmailLabel, allauth_forms.LoginForm):
    email_field_name = "login"


class SignupForm(_PortalEmailLabel, allauth_forms.SignupForm):
    pass


class ResetPasswordForm(_PortalEmailLabel, allauth_forms.ResetPasswordForm):
    pass


class AddEmailForm(_PortalEmailLabel, allauth_forms.AddEmailForm):
    pass
