"""Forms of the unit and secretariat pages: they check the shape of the input only; the
rules are in submissions/screening.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AppraisalOpinion, ForwardingChannel


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu lý do.")},
    )


class AppraisalForm(forms.Form):
    appraiser_name = forms.CharField(label=_("Người thẩm định"), max_length=200)
    opinion = forms.ChoiceField(label=_("Ý kiến thẩm định"), choices=AppraisalOpinion.choices)
    notes = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CertificationForm(forms.Form):
    text = forms.CharField(
        label=_("Xác nhận hiệu quả, tính khả thi"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Thủ trưởng đơn vị xác nhận ngắn gọn hiệu quả và tính khả thi của ý tưởng, giải pháp."
        ),
    )


class ForwardingForm(forms.Form):
    channel = forms.ChoiceField(label=_("Hình thức gửi"), choices=ForwardingChannel.choices)
    dispatch_number = forms.CharField(
        label=_("Số công văn"), max_length=60, help_text=_("Ví dụ: 125/UBND-NV")
    )
    dispatch_date = forms.DateField(
        label=_("Ngày công văn"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    entries = forms.TypedMultipleChoiceField(
        label=_("Bài dự thi gửi kèm"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vui lòng chọn ít nhất một bài dự thi để gửi.")},
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.pk, f"{e.tracking_code} – {e.title}") for e in entries]


class ExplanationForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do không đủ số bài theo chỉ tiêu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document = forms.FileField(
        label=_("Văn bản giải trình (PDF hoặc Word, tối đa 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )
