"""Forms validate the shape of input; the services enforce the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contest.widgets import LongSelect
from submissions.enums import EntryKind

from .enums import DECLARABLE_REASONS
from .models import JudgingSettings
from .services.scoring import decimal_text

User = get_user_model()
DECLARABLE_CHOICES = [(r.value, r.label) for r in DECLARABLE_REASONS]


class SheetForm(forms.Form):
    """One decimal field per criterion (blank allowed for drafts), a comment and the version
    the sheet had when the form was drawn (the optimistic lock)."""

    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, criteria, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c_{c.pk}"] = forms.DecimalField(
                label=c.title,
                required=False,
                min_value=0,
                max_value=c.max_points,
                decimal_places=2,
                max_digits=5,
                help_text=_("Từ 0 đến %(max)s điểm, bước %(step)s.")
                % {"max": decimal_text(c.max_points), "step": decimal_text(step)},
                widget=forms.NumberInput(
                    attrs={
                        "step": f"{step}",
                        "min": "0",
                        "max": f"{c.max_points}",
                        "inputmode": "decimal",
                    }
                ),
            )
        # Keep the comment last, after the criteria.
        self.order_fields([*(f"c_{c.pk}" for c in criteria), "comment", "version"])

    def score_values(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data.get(f"c_{c.pk}") for c in self.criteria}

    def criterion_fields(self):
        return [(c, self[f"c_{c.pk}"]) for c in self.criteria]


class ConflictDeclareForm(forms.Form):
    """`entries` is every entry that may be declared (a queryset, checked on submit);
    `shown` the ones offered in the list (one page of them)."""

    entry = forms.IntegerField(
        label=_("Bài dự thi"), widget=LongSelect(attrs={"class": "form-select"})
    )
    reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=DECLARABLE_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, entries, shown, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.fields["entry"].widget.choices = [
            (e.pk, f"{e.category.code}) {e.title}" if e.category_id else e.title) for e in shown
        ]
        self.judges = {j.pk: j for j in judges or ()}
        if judges is not None:
            # checked in clean_judge, like ManualAssignmentForm's
            self.fields["judge"] = forms.IntegerField(
                label=_("Giám khảo"),
                widget=LongSelect(
                    attrs={"class": "form-select"},
                    choices=[(j.pk, j.get_full_name()) for j in judges],
                ),
            )
            self.order_fields(["judge", "entry", "reason", "note"])

    def clean_entry(self):
        entry = self.entries.filter(pk=self.cleaned_data["entry"]).first()
        if entry is None:
            raise forms.ValidationError(_("Vui lòng chọn một bài dự thi trong danh sách."))
        return entry

    def clean_judge(self):
        return _judge_chosen(self, self.cleaned_data["judge"])


class ManualAssignmentForm(forms.Form):
    """`entries`: the entries that may be assigned (a queryset), found by their code."""

    entry = forms.CharField(
        label=_("Mã bài dự thi"),
        max_length=20,
        help_text=_("Ví dụ: CC25-AB3D-7KQP. Tìm mã trong bảng bên dưới."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    # A number checked against the judges in clean_judge; the choices are given to the
    # widget only (a ChoiceField would normalize hundreds of them on every page).
    judge = forms.IntegerField(
        label=_("Giám khảo"), widget=LongSelect(attrs={"class": "form-select"})
    )

    def __init__(self, *args, entries, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.judges = {j.pk: j for j in judges}
        self.fields["judge"].widget.choices = [(j.pk, j.get_full_name()) for j in judges]

    def clean_entry(self):
        code = self.cleaned_data["entry"].strip().upper()
        entry = self.entries.filter(tracking_code=code).first()
        if entry is None:
            raise forms.ValidationError(
                _("Không có bài dự thi mã “%(code)s” ở vòng chấm.") % {"code": code}
            )
        return entry

    def clean_judge(self):
        return _judge_chosen(self, self.cleaned_data["judge"])


def _judge_chosen(form, judge_id: int):
    """The user of the judge of that id among the form's judges (services.jury.JudgeChoice,
    or users), or the choice fields' own error."""
    if judge_id not in form.judges:
        raise forms.ValidationError(
            forms.ChoiceField.default_error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": judge_id},
        )
    judge = form.judges[judge_id]
    return judge if isinstance(judge, User) else User.objects.get(pk=judge_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp bảng tính (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Vui lòng chọn tệp Excel có đuôi .xlsx."))
        return upload


class JudgingSettingsForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = [
            "judges_per_entry",
            "whole_panel",
            "aggregation",
            "trim_count",
            "disagreement_stdev",
            "disagreement_range",
            "tie_break",
            "show_scores_after_submit",
            "similarity_threshold",
            "shortlist_size",
            "written_share",
        ]


class RankingKindForm(forms.Form):
    kind = forms.ChoiceField(choices=EntryKind.choices, required=False)


class TieDecisionForm(forms.Form):
    row = forms.IntegerField(widget=forms.HiddenInput)
    first_entry = forms.TypedChoiceField(label=_("Bài xếp trên"), coerce=int)
    decision = forms.CharField(
        label=_("Quyết định của Ban Tổ chức"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pair:
            self.fields["first_entry"].choices = [(e.pk, e.tracking_code) for e in pair]


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Bắt đầu lúc"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(
        label=_("Thời lượng mỗi bài (phút)"), min_value=1, max_value=240, initial=15
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
