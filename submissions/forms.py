"""Forms of the entry wizard and of paper intake. They check the shape of the input only;
the rules are in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.phone import phone_normalize

from . import files as filecheck
from .enums import EntryForm, EntryKind, FilePurpose
from .models import IDEA_FIELDS, IDEA_TEXTS, Entry
from .services import RECEIVED_IOFFICE, RECEIVED_PAPER, AuthorData

INVALID_CHOICE = _("Lựa chọn không hợp lệ; vui lòng chọn trong danh sách.")


class AuthorForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Chức vụ hoặc nghề nghiệp"), max_length=200, required=False)
    workplace = forms.CharField(label=_("Đơn vị công tác"), max_length=300, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    is_representative = forms.BooleanField(label=_("Người đại diện của nhóm"), required=False)

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return phone_normalize(value) if value else ""

    def as_author(self) -> AuthorData:
        data = self.cleaned_data
        return AuthorData(
            **{
                name: data.get(name) or ("" if name != "is_representative" else False)
                for name in AuthorData.__dataclass_fields__
            }
        )


class BaseAuthorFormSet(forms.BaseFormSet):
    def authors(self) -> list[AuthorData]:
        return [
            f.as_author() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


AuthorFormSet = forms.formset_factory(
    AuthorForm, formset=BaseAuthorFormSet, extra=0, can_delete=True, max_num=20, absolute_max=30
)


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bài dự thi của"),
        choices=EntryKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chọn cá nhân hoặc nhóm tác giả."),
            "invalid_choice": INVALID_CHOICE,
        },
    )


class CategoryForm(forms.Form):
    category = forms.TypedChoiceField(
        label=_("Lĩnh vực"),
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, f"{c.code}) {c.title}") for c in categories]


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = list(IDEA_FIELDS)
        labels = {
            "title": _("Tên ý tưởng, giải pháp"),
            "summary": _("Tóm tắt (một đoạn ngắn)"),
            "problem": _("Thực trạng, vấn đề đặt ra"),
            "solution": _("Nội dung ý tưởng, giải pháp"),
            "expected_effect": _("Hiệu quả dự kiến"),
            "implementation": _("Cách thức triển khai (nếu có)"),
            "replication": _("Khả năng nhân rộng (nếu có)"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in IDEA_TEXTS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # a draft keeps whatever is typed; the rules say what's missing


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _file_field(purpose: str, label, *, multiple: bool = False):
    field_class = MultipleFileField if multiple else forms.FileField
    widget_class = MultipleFileInput if multiple else forms.ClearableFileInput
    return field_class(
        label=label,
        required=False,
        help_text=_("Nhận: %(accepted)s.") % {"accepted": filecheck.accepted_description(purpose)},
        widget=widget_class(attrs={"accept": filecheck.accept_attribute(purpose)}),
    )


class FilesForm(forms.Form):
    """Form of the entry, its files and the "competed before" explanation. Files are
    handled one by one by the view (stored even if another field is wrong)."""

    form = forms.ChoiceField(
        label=_("Hình thức dự thi"),
        choices=EntryForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn hình thức dự thi."), "invalid_choice": INVALID_CHOICE},
    )
    main_document = _file_field(FilePurpose.MAIN, _("Tài liệu chính (bài viết)"))
    content_text = _file_field(
        FilePurpose.CONTENT_TEXT, _("Bản viết nội dung (bắt buộc với video, hình ảnh, phần mềm)")
    )
    attachments = _file_field(
        FilePurpose.ATTACHMENT,
        _("Tài liệu kèm theo: hình ảnh, video, phần mềm (nếu có)"),
        multiple=True,
    )
    competed_before = forms.BooleanField(
        label=_("Bài đã tham gia cuộc thi khác nhưng không đạt giải"), required=False
    )
    previous_contest_name = forms.CharField(
        label=_("Tên cuộc thi đã tham dự"), max_length=300, required=False
    )
    revision_explanation = forms.CharField(
        label=_("Giải trình nội dung đã chỉnh sửa, bổ sung, hoàn thiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revision_document = _file_field(FilePurpose.REVISION, _("Văn bản giải trình (nếu có)"))

    FILE_PURPOSES = {
        "main_document": FilePurpose.MAIN,
        "content_text": FilePurpose.CONTENT_TEXT,
        "attachments": FilePurpose.ATTACHMENT,
        "revision_document": FilePurpose.REVISION,
    }


UNIT_INVALID = _("Đầu mối tiếp nhận không hợp lệ; vui lòng chọn trong danh sách.")


class UnitForm(forms.Form):
    """The chosen unit's id. The picker lists only some units at a time (a group or a
    search), so the field does not enumerate them: the service checks that the unit is an
    active unit of the contest and refuses with the same message otherwise."""

    unit = forms.IntegerField(
        label=_("Đầu mối tiếp nhận"),
        required=False,
        min_value=1,
        widget=forms.RadioSelect,
        error_messages={"invalid": UNIT_INVALID, "min_value": UNIT_INVALID},
    )


class DeclarationForm(forms.Form):
    declaration_accepted = forms.BooleanField(
        required=False,
        label=_(
            "Tôi (chúng tôi) cam kết đang cư trú, học tập hoặc lao động trên địa bàn tỉnh "
            "Lạng Sơn; không phải thành viên Ban Tổ chức, Ban Giám khảo, Tổ giúp việc cuộc "
            "thi; bài dự thi là của tác giả (nhóm tác giả), không sao chép, không trùng "
            "với mô hình, giải pháp đã áp dụng; và chỉ gửi cho một đầu mối tiếp nhận."
        ),
    )
    consent_accepted = forms.BooleanField(
        required=False,
        label=_(
            "Tôi (chúng tôi) đồng ý để UBND tỉnh sử dụng bài dự thi mà không phải xin phép "
            "tác giả để triển khai ứng dụng vào thực tiễn của địa phương."
        ),
    )


class PaperEntryForm(forms.Form):
    """Everything unit staff type from an entry received on paper or through iOffice."""

    received_via = forms.ChoiceField(
        label=_("Nhận bài qua"),
        widget=forms.RadioSelect,
        choices=[
            (RECEIVED_PAPER, _("Bản giấy (trực tiếp, bưu chính)")),
            (RECEIVED_IOFFICE, _("Hệ thống iOffice")),
        ],
        error_messages={
            "required": _("Chọn hình thức nhận bài."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    paper_reference = forms.CharField(
        label=_("Số, ngày văn bản hoặc số đến (nếu có)"), max_length=200, required=False
    )
    kind = KindForm.base_fields["kind"]
    category = forms.TypedChoiceField(
        label=_("Lĩnh vực"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    title = forms.CharField(label=_("Tên ý tưởng, giải pháp"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Tóm tắt (nếu có)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    form = FilesForm.base_fields["form"]
    scan = _file_field(FilePurpose.SCAN, _("Bản quét bài dự thi (PDF hoặc Word)"))
    competed_before = FilesForm.base_fields["competed_before"]
    previous_contest_name = FilesForm.base_fields["previous_contest_name"]
    revision_explanation = FilesForm.base_fields["revision_explanation"]
    declaration_accepted = forms.BooleanField(
        required=False,
        label=_("Bài giấy có cam kết đủ điều kiện dự thi và đồng ý cho UBND tỉnh sử dụng bài."),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("— Chọn lĩnh vực —")),
            *[(c.pk, f"{c.code}) {c.title}") for c in categories],
        ]


def add_problems(form: forms.Form, problems) -> None:
    """Show rule problems on the form: on their field when it has one, else on top."""
    for problem in problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, ValidationError(problem.message))
