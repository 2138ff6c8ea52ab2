"""Thin views: parse, call a service or selector, render. Organizer pages answer 404 for a
contest that does not exist and for one the user may not manage alike."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from contest.public_cache import CURRENT, public_page
from contest.selectors import contest_current
from submissions.enums import EntryKind

from . import selectors, services
from .charts import bar_chart_svg
from .enums import AwardSetStatus, BlankField, CertificateKind
from .forms import (
    AwardChangeForm,
    AwardSettingsForm,
    LayoutRowForm,
    ReasonForm,
    TieDecisionForm,
)
from .models import Award, Certificate

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard(contest) -> str:
    return reverse("awards:dashboard", args=[contest.pk])


def _refused(request, exc) -> None:
    messages.error(request, str(exc))


# Public -----------------------------------------------------------------------------------


@require_safe
def results(request):
    # Everyone hits it once published: cached per contest (contest/public_cache.py).
    return public_page(
        request, page="results", scope=CURRENT, render_page=partial(_render_results, request)
    )


def _render_results(request, extra: dict):
    contest = contest_current()
    published = selectors.published_results(contest=contest) if contest else None
    return render(
        request, "awards/results.html", {**extra, "contest": contest, "results": published}
    )


@require_GET
def verify(request, number: str):
    certificate = selectors.certificate_for_verification(number=number)
    if certificate is None:
        # The same page for every unknown or unpublished number, without echoing it.
        return render(request, "awards/verify_unknown.html", status=404)
    award = certificate.award
    contest = award.award_set.contest
    return render(
        request,
        "awards/verify.html",
        {
            "certificate": certificate,
            "award": award,
            "contest": contest,
            "settings": services.award_settings_for(contest=contest),
        },
    )


# Organizer --------------------------------------------------------------------------------


@login_required
@require_GET
def organizer_home(request):
    contests = [
        (c, request.user.has_perm("contest.manage_awards", c))
        for c in selectors.organizer_contests(user=request.user)
        if request.user.has_perm("contest.manage_awards", c)
        or request.user.has_perm("contest.view_reports", c)
    ]
    if not contests:
        raise Http404
    return render(request, "awards/organizer_home.html", {"contests": contests})


@login_required
@require_GET
def dashboard(request, contest_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    view = selectors.proposal(contest=contest)
    award_set = view.award_set
    is_draft = award_set is not None and award_set.status == AwardSetStatus.DRAFT
    change_forms = {}
    if is_draft:  # Awards are changed by hand only in the draft.
        for kind, awards in view.awards.items():
            choices = AwardChangeForm.entry_choices(
                selectors.ranked_entries(
                    contest=contest, kind=kind, rankings=view.rankings, award_count=len(awards)
                )
            )
            for award in awards:
                change_forms[award.pk] = AwardChangeForm(
                    choices=choices, prefix=f"a{award.pk}", initial={"entry": award.entry_id}
                )
    tie_forms = [
        (tie, TieDecisionForm(tie=tie, prefix=f"t{i}"))
        for i, tie in enumerate(view.ties)
        if not tie.decided
    ]
    certificates = selectors.certificates_listed(award_set=award_set) if award_set else []
    ranked_counts = selectors.ranked_counts(rankings=view.rankings)
    return render(
        request,
        "awards/dashboard.html",
        {
            "contest": contest,
            "view": view,
            "sections": [
                (
                    EntryKind(kind).label,
                    [
                        (a, change_forms.get(a.pk), view.author_names.get(a.entry_id, []))
                        for a in awards
                    ],
                )
                for kind, awards in view.awards.items()
            ],
            "tie_forms": tie_forms,
            "decided_ties": [t for t in view.ties if t.decided],
            "award_set": award_set,
            "is_draft": is_draft,
            "is_approved": award_set is not None and award_set.status == AwardSetStatus.APPROVED,
            "is_published": award_set is not None and award_set.is_published,
            "over_fund": view.total > view.fund,
            "pending_ties": any(not t.decided for t in view.ties),
            "progress": selectors.certificates_progress(
                award_set=award_set, certificates=certificates
            ),
            "certificates": certificates,
            "reason_form": ReasonForm(),
            "certificate_kinds": CertificateKind.choices,
            "ranked_counts": {EntryKind(k).label: n for k, n in ranked_counts.items()},
        },
    )


@login_required
@require_POST
def compute(request, contest_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    try:
        services.award_set_compute(contest=contest, by=request.user)
        messages.success(request, _("Đã tính giải từ bảng xếp hạng đã phê duyệt."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


@login_required
@require_POST
def decide_tie(request, contest_id: int, index: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    view = selectors.proposal(contest=contest)
    if view.award_set is None or not 0 <= index < len(view.ties):
        raise Http404
    tie = view.ties[index]
    form = TieDecisionForm(request.POST, tie=tie, prefix=f"t{index}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_dashboard(contest))
    try:
        services.tie_decide(
            award_set=view.award_set,
            kind=tie.kind,
            ordered_entry_ids=form.cleaned_data["order"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Đã ghi quyết định phân định của Ban Tổ chức."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


@login_required
@require_POST
def change_award(request, contest_id: int, award_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    award = Award.objects.filter(pk=award_id, award_set__contest=contest).first()
    if award is None:
        raise Http404
    form = AwardChangeForm(
        request.POST,
        prefix=f"a{award.pk}",
        rows=selectors.ranked_entries(contest=contest, kind=award.kind),
    )
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn bài dự thi hợp lệ và ghi lý do điều chỉnh."))
        return redirect(_dashboard(contest))
    try:
        services.award_change(
            award=award,
            entry_id=form.cleaned_data["entry"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Đã điều chỉnh giải và ghi lý do."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


def _organizer_award_set(request, contest_id: int):
    """The organizer's contest and its award set; 404 when either is missing or not theirs."""
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    award_set = selectors.award_set_of(contest=contest)
    if award_set is None:
        raise Http404
    return contest, award_set


@login_required
@require_POST
def approve(request, contest_id: int):
    contest, award_set = _organizer_award_set(request, contest_id)
    try:
        services.award_set_approve(award_set=award_set, by=request.user)
        messages.success(request, _("Đã phê duyệt kết quả xét giải."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


@login_required
@require_POST
def reopen(request, contest_id: int):
    contest, award_set = _organizer_award_set(request, contest_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nêu lý do."))
        return redirect(_dashboard(contest))
    try:
        services.award_set_reopen(
            award_set=award_set, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, _("Đã mở lại kết quả dự kiến để điều chỉnh."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


@login_required
@require_POST
def publish(request, contest_id: int):
    contest, award_set = _organizer_award_set(request, contest_id)
    try:
        services.award_set_publish(award_set=award_set, by=request.user)
        messages.success(request, _("Đã công bố kết quả. Thư báo kết quả đang được gửi."))
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest))


@login_required
@require_POST
def certificates_generate(request, contest_id: int):
    contest, award_set = _organizer_award_set(request, contest_id)
    try:
        services.certificates_issue(award_set=award_set, by=request.user)
        messages.success(
            request, _("Đã tạo danh sách bằng khen, giấy chứng nhận; các tệp PDF đang được tạo.")
        )
    except services.AwardsRefused as exc:
        _refused(request, exc)
    return redirect(_dashboard(contest) + "#certificates")


@login_required
@require_GET
def certificates_progress(request, contest_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    progress = selectors.certificates_progress(award_set=selectors.award_set_of(contest=contest))
    return JsonResponse(progress)


@login_required
@require_GET
def certificates_merged(request, contest_id: int, kind: str):
    contest, award_set = _organizer_award_set(request, contest_id)
    if kind not in CertificateKind.values:
        raise Http404
    data = selectors.certificates_merged_pdf(award_set=award_set, kind=kind)
    response = HttpResponse(data, content_type=PDF)
    name = "bang-khen" if kind == CertificateKind.MERIT else "giay-chung-nhan"
    response["Content-Disposition"] = f'attachment; filename="{name}-{contest.year}.pdf"'
    return response


@login_required
@require_GET
def certificate_file(request, contest_id: int, certificate_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    certificate = Certificate.objects.filter(
        pk=certificate_id, award__award_set__contest=contest
    ).first()
    if certificate is None or not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"), content_type=PDF, filename=f"{certificate.number}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, contest_id: int):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    instance = services.award_settings_for(contest=contest)
    form = AwardSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thiết lập khen thưởng."))
        return redirect(reverse("awards:settings", args=[contest.pk]))
    return render(request, "awards/settings.html", {"contest": contest, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def layout_edit(request, contest_id: int, kind: str):
    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    if kind not in CertificateKind.values:
        raise Http404
    layout = services.blank_layout_for(contest=contest, kind=kind)
    forms_ = [
        (
            row,
            LayoutRowForm(
                request.POST or None,
                prefix=row.field,
                initial={
                    "x_mm": row.x_mm,
                    "y_mm": row.y_mm,
                    "width_mm": row.width_mm,
                    "font_size_pt": row.font_size_pt,
                },
            ),
        )
        for row in layout
    ]
    if request.method == "POST":
        if all(f.is_valid() for _row, f in forms_):
            services.blank_layout_update(
                contest=contest,
                kind=kind,
                by=request.user,
                values={row.field: f.cleaned_data for row, f in forms_},
            )
            messages.success(request, _("Đã lưu vị trí in trên phôi."))
            return redirect(reverse("awards:layout", args=[contest.pk, kind]))
        messages.error(request, _("Vui lòng sửa các ô được đánh dấu."))
    return render(
        request,
        "awards/layout.html",
        {
            "contest": contest,
            "kind": kind,
            "kind_label": CertificateKind(kind).label,
            "forms": forms_,
            "field_labels": dict(BlankField.choices),
        },
    )


@login_required
@require_GET
def overprint_pdf(request, contest_id: int, kind: str):
    from .pdf import render_overprint_pdf

    contest, award_set = _organizer_award_set(request, contest_id)
    if kind not in CertificateKind.values:
        raise Http404
    certificates = list(
        selectors.certificates_of(award_set=award_set)
        .filter(kind=kind)
        .select_related("award__award_set__contest")
    )
    if not certificates:
        messages.error(request, _("Chưa có bằng khen, giấy chứng nhận để in."))
        return redirect(_dashboard(contest))
    data = render_overprint_pdf(
        certificates=certificates,
        layout=services.blank_layout_for(contest=contest, kind=kind),
        award_settings=services.award_settings_for(contest=contest),
        kind=kind,
    )
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="in-de-phoi-{kind}.pdf"'
    return response


@login_required
@require_GET
def calibration_pdf(request, contest_id: int, kind: str):
    from .pdf import render_calibration_pdf

    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    if kind not in CertificateKind.values:
        raise Http404
    data = render_calibration_pdf(
        layout=services.blank_layout_for(contest=contest, kind=kind),
        award_settings=services.award_settings_for(contest=contest),
        kind=kind,
    )
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="can-chinh-{kind}.pdf"'
    return response


def _approved_set(contest):
    award_set = selectors.award_set_of(contest=contest)
    if award_set is None or award_set.status == AwardSetStatus.DRAFT:
        raise Http404
    return award_set


@login_required
@require_GET
def annex_pdf(request, contest_id: int):
    from .documents import annex_pdf as render_annex

    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    response = HttpResponse(render_annex(award_set=_approved_set(contest)), content_type=PDF)
    response["Content-Disposition"] = (
        f'attachment; filename="phu-luc-khen-thuong-{contest.year}.pdf"'
    )
    return response


@login_required
@require_GET
def annex_xlsx(request, contest_id: int):
    from .exports import annex_xlsx as build

    contest = selectors.contest_for_organizer(user=request.user, contest_id=contest_id)
    return FileResponse(
        build(award_set=_approved_set(contest)),
        content_type=XLSX,
        as_attachment=True,
        filename=f"danh-sach-chi-thuong-{contest.year}.xlsx",
    )


@login_required
@require_GET
def reports(request, contest_id: int):
    contest = selectors.contest_for_organizer(
        user=request.user, contest_id=contest_id, perm="contest.view_reports"
    )
    stats = selectors.contest_statistics_recent(contest=contest)
    charts = [
        (_("Bài dự thi theo tuần (theo thời điểm gửi)"), stats["by_week"]),
        (_("Theo loại đơn vị"), stats["by_unit_type"]),
        (_("Theo lĩnh vực"), stats["by_category"]),
        (_("Cá nhân và nhóm tác giả"), stats["by_kind"]),
        (_("Theo trạng thái"), stats["by_status"]),
        (_("Theo đầu mối tiếp nhận"), stats["by_unit"]),
    ]
    return render(
        request,
        "awards/reports.html",
        {
            "contest": contest,
            "stats": stats,
            "charts": [
                (title, items, bar_chart_svg(items=items, title=title)) for title, items in charts
            ],
            "can_manage": request.user.has_perm("contest.manage_awards", contest),
        },
    )


@login_required
@require_GET
def report_pdf(request, contest_id: int):
    from .documents import report_pdf as render_report

    contest = selectors.contest_for_organizer(
        user=request.user, contest_id=contest_id, perm="contest.view_reports"
    )
    award_set = selectors.award_set_of(contest=contest)
    if award_set is not None and award_set.status == AwardSetStatus.DRAFT:
        award_set = None
    response = HttpResponse(render_report(contest=contest, award_set=award_set), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ket-qua-{contest.year}.pdf"'
    return response


@login_required
@require_GET
def entries_xlsx(request, contest_id: int):
    from .exports import entries_xlsx as build

    contest = selectors.contest_for_organizer(
        user=request.user, contest_id=contest_id, perm="contest.view_reports"
    )
    return FileResponse(
        build(contest=contest),
        content_type=XLSX,
        as_attachment=True,
        filename=f"bai-du-thi-{contest.year}.xlsx",
    )
