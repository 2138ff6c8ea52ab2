"""Pages of the receiving units: the dashboard, an entry's page with the screening actions,
forwarding a batch, explanation letters. Thin: parse, call a service, show the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contest.enums import UnitType
from contest.models import Unit
from contest.selectors import roles_of

from . import screening
from .enums import EntryKind
from .enums import EntryStatus as S
from .forms_screening import (
    AppraisalForm,
    CertificationForm,
    ExplanationForm,
    ForwardingForm,
    ReasonForm,
)
from .models import Entry, ExplanationLetter, ForwardingBatch
from .quotas import unit_quota_progress
from .selectors_screening import (
    EntryFilters,
    certified_entries_to_forward,
    unit_batches,
    unit_entries,
    unit_entry,
    unit_status_counts,
    units_of_user,
)
from .timeline import entry_timeline, events_by_entry
from .workflow import TransitionRefused, allowed_targets

PAGE_SIZE = 25


def unit_for_user(*, user, unit_id: int) -> Unit:
    """The unit if this user is its staff or head; 404 for missing and not-yours alike."""
    unit = Unit.objects.select_related("contest", "parent").filter(pk=unit_id).first()
    if unit is None or not user.has_perm("contest.view_unit_entries", unit):
        raise Http404
    return unit


def entry_for_unit(*, unit: Unit, entry_id: int) -> Entry:
    entry = unit_entry(unit=unit, entry_id=entry_id)
    if entry is None:
        raise Http404
    return entry


@login_required
@require_GET
def unit_index(request):
    units = list(units_of_user(user=request.user))
    if len(units) == 1:
        return redirect("units:dashboard", unit_id=units[0].pk)
    return render(request, "units/index.html", {"units": units})


@login_required
@require_GET
def dashboard(request, unit_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    categories = list(unit.contest.categories.all())
    filters = EntryFilters.from_params(request.GET, category_ids={c.pk for c in categories})
    page = Paginator(unit_entries(unit=unit, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "units/dashboard.html",
        {
            "unit": unit,
            "contest": unit.contest,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "categories": categories,
            "statuses": [(s.value, s.label) for s in S if s != S.DRAFT],
            "kinds": EntryKind.choices,
            "sorts": [
                ("-date", _("Mới gửi trước")),
                ("date", _("Gửi trước trước")),
                ("status", _("Trạng thái")),
                ("category", _("Lĩnh vực")),
                ("kind", _("Loại bài")),
                ("title", _("Tên bài (A–Z)")),
            ],
            "counts": unit_status_counts(unit=unit),
            "progress": unit_quota_progress(unit=unit),
            "batches": unit_batches(unit=unit) if unit.unit_type != UnitType.COMMUNE else [],
            "can_forward": request.user.has_perm("contest.forward_entries", unit)
            and unit.unit_type != UnitType.COMMUNE,
            "can_explain": request.user.has_perm("contest.file_explanation", unit)
            and unit.unit_type != UnitType.COMMUNE,
        },
    )


def _render_entry(
    request, unit: Unit, entry: Entry, *, forms: dict | None = None, status: int = 200
):
    roles = roles_of(request.user)
    targets = set(allowed_targets(entry=entry, user=request.user))
    is_staff = roles.has(unit.contest_id, "unit_staff", unit.pk)
    is_head = roles.has(unit.contest_id, "unit_head", unit.pk)
    held_here = entry.holder_id == unit.pk
    own_appraisal = next((a for a in entry.appraisals.all() if a.unit_id == unit.pk), None)
    own_certification = next((c for c in entry.certifications.all() if c.unit_id == unit.pk), None)
    forms = forms or {}
    context = {
        "unit": unit,
        "contest": entry.contest,
        "entry": entry,
        "authors": entry.authors.all(),
        "files": entry.files.all(),
        "appraisals": entry.appraisals.all(),
        "certifications": entry.certifications.all(),
        "timeline": entry_timeline(
            entry=entry, events=events_by_entry(entry_ids=[entry.pk])[entry.pk], with_reasons=True
        ),
        "held_here": held_here,
        "can_start": held_here and S.SCREENING in targets,
        "can_select": held_here and S.SELECTED in targets,
        "can_reject": held_here and S.REJECTED in targets,
        "can_certify": held_here and S.CERTIFIED in targets,
        "can_pass_up": held_here and S.PASSED_UP in targets,
        "can_appraise": held_here and is_staff and entry.status in screening.APPRAISABLE,
        "is_head": is_head,
        "reject_form": forms.get("reject") or ReasonForm(),
        "appraisal_form": forms.get("appraisal")
        or AppraisalForm(
            initial={
                "appraiser_name": own_appraisal.appraiser_name
                if own_appraisal
                else request.user.get_full_name(),
                "opinion": own_appraisal.opinion if own_appraisal else "",
                "notes": own_appraisal.notes if own_appraisal else "",
            }
        ),
        "certification_form": forms.get("certify") or CertificationForm(),
        "can_amend_certification": held_here
        and entry.status == S.CERTIFIED
        and own_certification is not None
        and request.user.has_perm("contest.certify_entries", unit),
        "amend_form": forms.get("amend")
        or CertificationForm(initial={"text": own_certification.text if own_certification else ""}),
        "download_url_name": _download_url_name(),
    }
    return render(request, "units/entry_detail.html", context, status=status)


def _download_url_name() -> str:
    """The intake pages' protected file download, if it is installed."""
    from django.urls import NoReverseMatch

    try:
        reverse("submissions:file_download", kwargs={"file_id": 0})
    except NoReverseMatch:
        return ""
    return "submissions:file_download"


@login_required
@require_GET
def entry_detail(request, unit_id: int, entry_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    return _render_entry(request, unit, entry_for_unit(unit=unit, entry_id=entry_id))


def _act(request, unit_id: int, entry_id: int, action, *, form_class=None, form_key=""):
    """Run one screening action on an entry of this unit, then back to its page."""
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    entry = entry_for_unit(unit=unit, entry_id=entry_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Vui lòng kiểm tra lại thông tin đã nhập."))
        return _render_entry(request, unit, entry, forms={form_key: form}, status=400)
    try:
        message = action(entry, form.cleaned_data if form else {})
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        if form is not None:
            return _render_entry(request, unit, entry, forms={form_key: form}, status=400)
    else:
        messages.success(request, message)
    return redirect("units:entry", unit_id=unit.pk, entry_id=entry.pk)


@login_required
@require_POST
def entry_start_screening(request, unit_id: int, entry_id: int):
    def action(entry, _data):
        screening.entry_screening_start(entry=entry, by=request.user)
        return _("Đã đưa bài vào sơ loại; tác giả không thể sửa bài nữa.")

    return _act(request, unit_id, entry_id, action)


@login_required
@require_POST
def entry_reject(request, unit_id: int, entry_id: int):
    def action(entry, data):
        screening.entry_reject(entry=entry, by=request.user, reason=data["reason"])
        return _("Đã ghi nhận bài không được chọn; tác giả sẽ nhận thư báo.")

    return _act(request, unit_id, entry_id, action, form_class=ReasonForm, form_key="reject")


@login_required
@require_POST
def entry_select(request, unit_id: int, entry_id: int):
    def action(entry, _data):
        screening.entry_select(entry=entry, by=request.user)
        return _("Đã chọn bài; mời thẩm định và trình Thủ trưởng xác nhận.")

    return _act(request, unit_id, entry_id, action)


@login_required
@require_POST
def entry_appraise(request, unit_id: int, entry_id: int):
    def action(entry, data):
        screening.appraisal_record(entry=entry, by=request.user, **data)
        return _("Đã lưu ý kiến thẩm định.")

    return _act(request, unit_id, entry_id, action, form_class=AppraisalForm, form_key="appraisal")


@login_required
@require_POST
def entry_certify(request, unit_id: int, entry_id: int):
    def action(entry, data):
        screening.entry_certify(entry=entry, by=request.user, text=data["text"])
        return _("Thủ trưởng đơn vị đã xác nhận bài dự thi.")

    return _act(
        request, unit_id, entry_id, action, form_class=CertificationForm, form_key="certify"
    )


@login_required
@require_POST
def entry_certify_amend(request, unit_id: int, entry_id: int):
    def action(entry, data):
        screening.certification_amend(entry=entry, by=request.user, text=data["text"])
        return _(
            "Đã sửa nội dung xác nhận của Thủ trưởng đơn vị; nội dung cũ được lưu trong nhật ký."
        )

    return _act(request, unit_id, entry_id, action, form_class=CertificationForm, form_key="amend")


@login_required
@require_POST
def entry_pass_up(request, unit_id: int, entry_id: int):
    def action(entry, _data):
        screening.entry_pass_up(entry=entry, by=request.user)
        return _("Đã chuyển bài lên UBND cấp huyện.")

    return _act(request, unit_id, entry_id, action)


@login_required
@require_http_methods(["GET", "POST"])
def forward(request, unit_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    if unit.unit_type == UnitType.COMMUNE or not request.user.has_perm(
        "contest.forward_entries", unit
    ):
        raise Http404
    entries = list(certified_entries_to_forward(unit=unit))
    form = ForwardingForm(request.POST or None, entries=entries)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = screening.forwarding_batch_create(
                    unit=unit,
                    by=request.user,
                    channel=form.cleaned_data["channel"],
                    dispatch_number=form.cleaned_data["dispatch_number"],
                    dispatch_date=form.cleaned_data["dispatch_date"],
                    entry_ids=form.cleaned_data["entries"],
                )
            except TransitionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Đã gửi %(n)s bài dự thi về Ban Tổ chức (công văn số %(number)s).")
                    % {"n": len(form.cleaned_data["entries"]), "number": batch.dispatch_number},
                )
                return redirect("units:dashboard", unit_id=unit.pk)
        status = 400
    return render(
        request,
        "units/forward.html",
        {
            "unit": unit,
            "contest": unit.contest,
            "form": form,
            "entries": entries,
        },
        status=status,
    )


@login_required
@require_GET
def cover_letter_download(request, unit_id: int, batch_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    batch = ForwardingBatch.objects.filter(pk=batch_id, unit_id=unit.pk).first()
    if batch is None:
        raise Http404
    return cover_letter_response(batch)


def cover_letter_response(batch: ForwardingBatch) -> FileResponse:
    from .cover_letter import cover_letter_store

    if not batch.cover_letter:
        cover_letter_store(batch_id=batch.pk)
        batch.refresh_from_db(fields=["cover_letter"])
    return FileResponse(
        batch.cover_letter.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"cong-van-{batch.pk}.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def explanation(request, unit_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    if unit.unit_type == UnitType.COMMUNE:
        raise Http404
    can_file = request.user.has_perm("contest.file_explanation", unit)
    form = ExplanationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not can_file:
            raise Http404
        if form.is_valid():
            try:
                screening.explanation_letter_file(
                    unit=unit,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    document=form.cleaned_data["document"],
                )
            except TransitionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Đã gửi văn bản giải trình."))
                return redirect("units:dashboard", unit_id=unit.pk)
        status = 400
    return render(
        request,
        "units/explanation.html",
        {
            "unit": unit,
            "contest": unit.contest,
            "form": form,
            "can_file": can_file,
            "progress": unit_quota_progress(unit=unit),
            "letters": ExplanationLetter.objects.filter(unit=unit).select_related("filed_by"),
        },
        status=status,
    )


@login_required
@require_GET
def explanation_download(request, unit_id: int, letter_id: int):
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    letter = ExplanationLetter.objects.filter(pk=letter_id, unit_id=unit.pk).first()
    if letter is None:
        raise Http404
    return explanation_response(letter)


def explanation_response(letter: ExplanationLetter) -> FileResponse:
    return FileResponse(
        letter.document.open("rb"), as_attachment=True, filename=letter.original_name
    )
