"""Forms validate shape only; services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.widgets import LongSelect

from .models import AwardSettings


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AwardChangeForm(forms.Form):
    entry = forms.TypedChoiceField(
        label=_("Bài dự thi"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=LongSelect(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, rows=(), choices=None, **kwargs):
        """`rows`: selectors.ranked_entries; or `choices`, entry_choices(rows) built once
        for the many forms of one kind."""
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = self.entry_choices(rows) if choices is None else choices

    @staticmethod
    def entry_choices(rows) -> list[tuple]:
        return [("", _("— Không trao giải này —"))] + [
            (r.entry_id, f"{r.position}. {r.tracking_code} – {r.title} ({r.score})") for r in rows
        ]


class TieDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do, căn cứ quyết định của Ban Tổ chức"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, tie=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (r.entry_id, f"{r.entry.tracking_code} – {r.entry.title} ({r.score})") for r in tie.rows
        ]
        for i, row in enumerate(tie.rows, start=1):
            self.fields[f"place_{i}"] = forms.TypedChoiceField(
                label=_("Xếp thứ %(n)s trong nhóm") % {"n": i},
                choices=choices,
                coerce=int,
                initial=row.entry_id,
            )
        self.order_fields([f"place_{i}" for i in range(1, len(tie.rows) + 1)] + ["reason"])

    def clean(self):
        data = super().clean()
        order = [data.get(k) for k in sorted(self.fields) if k.startswith("place_")]
        if None not in order and len(set(order)) != len(order):
            raise forms.ValidationError(_("Mỗi bài dự thi chỉ được chọn ở một vị trí."))
        data["order"] = order
        return data


class AwardSettingsForm(forms.ModelForm):
    class Meta:
        model = AwardSettings
        fields = [f.name for f in AwardSettings._meta.fields if f.name not in ("id", "contest")]
        widgets = {
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "committee_decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "report_copies_to": forms.Textarea(attrs={"rows": 4}),
        }


class LayoutRowForm(forms.Form):
    x_mm = forms.DecimalField(
        label=_("Cách lề trái (mm)"), min_value=0, max_value=2000, decimal_places=1
    )
    y_mm = forms.DecimalField(
        label=_("Cách mép trên (mm)"), min_value=0, max_value=2000, decimal_places=1
    )
    width_mm = forms.DecimalField(
        label=_("Độ rộng (mm)"), min_value=1, max_value=2000, decimal_places=1
    )
    font_size_pt = forms.DecimalField(
        label=_("Cỡ chữ (pt)"), min_value=4, max_value=120, decimal_places=1
    )
