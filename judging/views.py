"""Judging pages. Views parse input, call a service or selector and render; every access is
scoped to the contest and answers 404 for "missing" and "not yours" alike."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contest.enums import ScoringRound
from contest.paging import page_of
from submissions.enums import EntryKind, EntryStatus
from submissions.models import Entry
from submissions.workflow import TransitionRefused, entry_transition

from . import selectors
from .errors import JudgingRefused, StaleSheet
from .forms import (
    ConflictDeclareForm,
    JudgingSettingsForm,
    ManualAssignmentForm,
    ReasonForm,
    ScheduleForm,
    SheetForm,
    TieDecisionForm,
    UploadForm,
)
from .models import Assignment, Conflict, KnownModel, PresentationSlot, ScoreSheet
from .services import assignment as assignment_services
from .services import imports, presentation, ranking, reminders, similarity
from .services.jury import (
    conflict_declare,
    judge_choices,
    judges_of,
    judging_settings_for,
    rubric_is_locked,
)
from .services.scoring import rubric_for, sheet_reopen, sheet_save

User = get_user_model()
SECRETARIAT = ("contest.run_judging",)
JUDGE = ("contest.score_entries",)
RANKING_READERS = ("judging.view_ranking",)
# The ranking page lists this many unsettled ties and flagged rows above the table; the
# counts say how many there are, the table's filter shows every flagged row.
TIES_SHOWN = 20
FLAGGED_SHOWN = 20


def _contest(request, slug, perms):
    return selectors.contest_for_role(slug=slug, user=request.user, perms=perms)


@login_required
def home(request):
    contests = selectors.contests_for_judging(user=request.user)
    if len(contests) == 1:
        return redirect("judging:contest", slug=contests[0].slug)
    return render(request, "judging/home.html", {"contests": contests})


@login_required
def contest_home(request, slug):
    contest = _contest(request, slug, ("judging.open_judging",))
    user = request.user
    return render(
        request,
        "judging/contest_home.html",
        {
            "contest": contest,
            "is_judge": user.has_perm("contest.score_entries", contest),
            "is_secretariat": user.has_perm("contest.run_judging", contest),
            "can_rank": user.has_perm("judging.view_ranking", contest),
        },
    )


# ---------------------------------------------------------------- judges


@login_required
def queue(request, slug):
    contest = _contest(request, slug, JUDGE)
    items = selectors.judge_queue(contest=contest, judge=request.user)
    presentation_items = selectors.judge_queue(
        contest=contest, judge=request.user, round=ScoringRound.PRESENTATION
    )
    done = sum(1 for i in items if i.state == "submitted")
    only_left = request.GET.get("con-lai") == "1"
    numbered = [
        (n, i) for n, i in enumerate(items, start=1) if not only_left or i.state != "submitted"
    ]
    page, query = page_of(request.GET, numbered)
    selectors.queue_entries_load([i for _n, i in page.object_list] + presentation_items)
    return render(
        request,
        "judging/queue.html",
        {
            "contest": contest,
            "rows": page.object_list,
            "page": page,
            "query": query,
            "only_left": only_left,
            "total": len(items),
            "presentation_items": presentation_items,
            "done": done,
            "left": len(items) - done,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, slug, entry_id, round=ScoringRound.WRITTEN):
    contest = _contest(request, slug, JUDGE)
    entry = selectors.entry_for_judge(
        contest=contest, judge=request.user, entry_id=entry_id, round=round
    )
    criteria = rubric_for(contest=contest, round=round)
    current = (
        ScoreSheet.objects.filter(entry=entry, judge=request.user, round=round)
        .prefetch_related("scores__criterion")
        .first()
    )
    stale = False
    if request.method == "POST":
        form = SheetForm(request.POST, criteria=criteria, step=contest.score_step)
        if form.is_valid():
            try:
                sheet_save(
                    entry=entry,
                    judge=request.user,
                    by=request.user,
                    scores=form.score_values(),
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                    submit="submit" in request.POST,
                    round=round,
                )
            except StaleSheet as exc:
                # Keep what was typed; the next deliberate save applies to the saved version.
                stale = True
                data = request.POST.copy()
                data["version"] = str(current.version if current else 0)
                form = SheetForm(data, criteria=criteria, step=contest.score_step)
                form.is_valid()
                form.add_error(None, str(exc))
            except JudgingRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Đã nộp phiếu chấm.")
                    if "submit" in request.POST
                    else _("Đã lưu bản nháp phiếu chấm."),
                )
                return redirect(request.path)
    else:
        initial = {
            "version": current.version if current else 0,
            "comment": current.comment if current else "",
        }
        if current:
            for s in current.scores.all():
                initial[f"c_{s.criterion_id}"] = s.points.normalize()
        form = SheetForm(initial=initial, criteria=criteria, step=contest.score_step)
    return render(
        request,
        "judging/sheet.html",
        {
            "contest": contest,
            "entry": entry,
            "form": form,
            "sheet": current,
            "stale": stale,
            "round": round,
            "is_presentation": round == ScoringRound.PRESENTATION,
            "blind_fields": [
                (Entry._meta.get_field(f).verbose_name, getattr(entry, f))
                for f in selectors.BLIND_FIELDS[1:]
            ],
            "files": selectors.entry_files_for_judge(entry=entry),
            "others": selectors.other_sheets_visible(
                contest=contest, judge=request.user, entry=entry
            ),
            "submitted": current is not None and current.status == "submitted",
        },
    )


@login_required
def file_text(request, slug, entry_id, file_id):
    contest = _contest(request, slug, JUDGE)
    entry_file = selectors.file_for_judge(
        contest=contest, judge=request.user, entry_id=entry_id, file_id=file_id
    )
    return render(
        request,
        "judging/file_text.html",
        {
            "contest": contest,
            "entry": entry_file.entry,
            "file": entry_file,
        },
    )


@login_required
def file_download(request, slug, entry_id, file_id):
    contest = _contest(request, slug, JUDGE)
    entry_file = selectors.file_for_judge(
        contest=contest, judge=request.user, entry_id=entry_id, file_id=file_id
    )
    try:
        handle = entry_file.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # The stored name is never shown: it may carry the author's name.
    extension = (
        entry_file.original_name.rsplit(".", 1)[-1][:8]
        if "." in (entry_file.original_name)
        else "bin"
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"tep-{entry_file.pk}.{extension}",
        content_type=entry_file.content_type or "application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request, slug):
    contest = _contest(request, slug, JUDGE)
    q = request.GET.get("q", "").strip()[:100]
    page, query = page_of(request.GET, selectors.judgeable_entries(contest=contest, q=q))
    form = ConflictDeclareForm(
        request.POST or None,
        entries=selectors.judgeable_entries(contest=contest),
        shown=page.object_list,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                contest=contest,
                judge=request.user,
                entry=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except JudgingRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích."))
            return redirect("judging:conflicts", slug=slug)
    declared = (
        Conflict.objects.filter(contest=contest, judge=request.user)
        .select_related("entry", "entry__category")
        .only("id", "entry_id", "reason", "note", "entry__title", "entry__category__code")
        .order_by("declared_at")
    )
    return render(
        request,
        "judging/conflicts.html",
        {
            "contest": contest,
            "form": form,
            "declared": declared,
            "entries": page.object_list,
            "page": page,
            "query": query,
            "q": q,
        },
    )


# ---------------------------------------------------------------- secretariat


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request, slug, round=ScoringRound.WRITTEN):
    contest = _contest(request, slug, SECRETARIAT)
    judges = judge_choices(contest=contest)
    judgeable = selectors.judgeable_entries(contest=contest)
    form = ManualAssignmentForm(
        initial={"entry": request.GET.get("ma", "")[:20]}, entries=judgeable, judges=judges
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "auto":
                added = assignment_services.assignment_auto(
                    contest=contest, by=request.user, round=round
                )
                messages.success(request, _("Đã phân công tự động %(n)s lượt chấm.") % {"n": added})
                return redirect(request.get_full_path())
            if action == "remove":
                assignment = get_object_or_404(
                    Assignment, pk=request.POST.get("assignment"), contest=contest
                )
                assignment_services.assignment_remove(assignment=assignment, by=request.user)
                messages.success(request, _("Đã bỏ phân công."))
                return redirect(request.get_full_path())
            form = ManualAssignmentForm(request.POST, entries=judgeable, judges=judges)
            if form.is_valid():
                assignment_services.assignment_add(
                    contest=contest,
                    entry=form.cleaned_data["entry"],
                    judge=form.cleaned_data["judge"],
                    by=request.user,
                    round=round,
                )
                messages.success(request, _("Đã phân công."))
                return redirect(request.get_full_path())
        except JudgingRefused as exc:
            form.add_error(None, str(exc))
    q = request.GET.get("q", "").strip()[:100]
    settings_ = judging_settings_for(contest=contest)
    summary = selectors.assignment_summary(
        contest=contest, per_entry=settings_.judges_per_entry, round=round
    )
    # Unfiltered, the table lists the summary's entries: its count, as of the time shown.
    page, query = page_of(
        request.GET,
        selectors.judgeable_entries(contest=contest, q=q),
        count=None if q else summary.entries,
        per_page=25,
    )
    return render(
        request,
        "judging/assignments.html",
        {
            "contest": contest,
            "rows": selectors.assignment_rows(
                contest=contest, entries=page.object_list, judges=judges, round=round
            ),
            "page": page,
            "query": query,
            "q": q,
            "form": form,
            "settings": settings_,
            "summary": summary,
            "leaks": selectors.author_name_leaks(
                contest=contest, entry_ids=[e.pk for e in page.object_list]
            ),
            "round": round,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def secretariat_conflicts(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    q = request.GET.get("q", "").strip()[:100]
    page, query = page_of(request.GET, selectors.judgeable_entries(contest=contest, q=q))
    judges = judge_choices(contest=contest)
    form = ConflictDeclareForm(
        request.POST or None,
        entries=selectors.judgeable_entries(contest=contest),
        shown=page.object_list,
        judges=judges,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                contest=contest,
                judge=form.cleaned_data["judge"],
                entry=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except JudgingRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi nhận xung đột lợi ích."))
            return redirect("judging:secretariat_conflicts", slug=slug)
    declared = (
        Conflict.objects.filter(contest=contest)
        .select_related("entry", "judge", "declared_by")
        .only(
            "id",
            "entry_id",
            "judge_id",
            "declared_by_id",
            "reason",
            "note",
            "entry__tracking_code",
            "entry__title",
            "judge__full_name",
            "judge__email",
            "declared_by__full_name",
            "declared_by__email",
        )
        .order_by("declared_at")
    )
    return render(
        request,
        "judging/secretariat_conflicts.html",
        {
            "contest": contest,
            "form": form,
            "declared": declared,
            "page": page,
            "query": query,
            "q": q,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress(request, slug):
    contest = _contest(request, slug, ("judging.view_progress",))
    if request.method == "POST":
        if not request.user.has_perm("contest.run_judging", contest):
            raise Http404
        judge_ids = [int(v) for v in request.POST.getlist("judge") if v.isdigit()] or None
        try:
            n = reminders.reminders_create(contest=contest, by=request.user, judge_ids=judge_ids)
        except JudgingRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã gửi lời nhắc tới %(n)s giám khảo.") % {"n": n})
        return redirect(request.path)
    is_secretariat = request.user.has_perm("contest.run_judging", contest)
    views = [("giam-khao", _("Theo giám khảo")), ("bai", _("Theo bài dự thi"))]
    if is_secretariat:
        views.append(("phieu", _("Phiếu đã nộp")))
    view = request.GET.get("xem", "")
    if view not in dict(views):
        view = "giam-khao"
    q = request.GET.get("q", "").strip()[:100]
    categories = list(contest.categories.all())
    category = next((c for c in categories if str(c.pk) == request.GET.get("linh-vuc")), None)
    summary = selectors.progress_summary(contest=contest)
    context = {
        "contest": contest,
        "is_secretariat": is_secretariat,
        "views": views,
        "view": view,
        "q": q,
        "categories": categories,
        "category": category,
        "summary": summary,
    }
    # Unfiltered, the judges', entries' and sheets' lists are those the summary counted: its
    # counts, as of the time the page shows.
    if view == "bai":
        page, query = page_of(
            request.GET,
            selectors.judgeable_entries(
                contest=contest, q=q, category_id=category.pk if category else None
            ),
            count=None if q or category else summary.entries,
        )
        context["rows"] = selectors.progress_by_entry(contest=contest, entries=page.object_list)
    elif view == "phieu":
        page, query = page_of(
            request.GET,
            selectors.submitted_sheets(contest=contest, q=q),
            count=None if q else summary.sheets_submitted,
        )
        context["rows"] = list(page.object_list)
    else:
        page, query = page_of(
            request.GET,
            judges_of(contest=contest).only("id", "full_name", "email"),
            count=summary.judges,
        )
        context["rows"] = selectors.progress_by_judge(
            contest=contest, judges=page.object_list, summary=summary
        )
    context.update({"page": page, "query": query})
    return render(request, "judging/progress.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, slug, sheet_id):
    contest = _contest(request, slug, SECRETARIAT)
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("entry", "judge"), pk=sheet_id, contest=contest
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet_reopen(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
        except JudgingRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã mở lại phiếu chấm."))
            return redirect("judging:progress", slug=slug)
    return render(
        request,
        "judging/reopen.html",
        {
            "contest": contest,
            "sheet": sheet,
            "form": form,
            "versions": sheet.versions.select_related("saved_by").order_by("version"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scores_import(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.scores_import(
                contest=contest, upload=form.cleaned_data["file"], by=request.user
            )
        except JudgingRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request, _("Đã nhập %(n)s phiếu chấm giấy.") % {"n": result.created}
                )
                return redirect(request.path)
            errors = result.errors
    return render(
        request,
        "judging/scores_import.html",
        {
            "contest": contest,
            "form": form,
            "errors": errors,
        },
    )


@login_required
def score_template(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    response = HttpResponse(
        imports.score_template(contest=contest),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="phieu-cham-{contest.slug}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def duplicates(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    form = UploadForm()
    errors = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "scan":
            similarity.similarity_scan_request(contest=contest, by=request.user)
            messages.success(request, _("Đã quét trùng lặp."))
            return redirect(request.path)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = imports.known_models_import(
                    contest=contest, upload=form.cleaned_data["file"], by=request.user
                )
            except JudgingRefused as exc:
                form.add_error("file", str(exc))
            else:
                if result.ok:
                    messages.success(
                        request, _("Đã nhập %(n)s mô hình đã áp dụng.") % {"n": result.created}
                    )
                    return redirect(request.path)
                errors = result.errors
    findings = selectors.similarity_findings(contest=contest)
    return render(
        request,
        "judging/duplicates.html",
        {
            "contest": contest,
            "form": form,
            "errors": errors,
            "findings": findings,
            "known_count": KnownModel.objects.filter(contest=contest).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_ineligible(request, slug, entry_id):
    contest = _contest(request, slug, SECRETARIAT)
    entry = get_object_or_404(
        Entry,
        pk=entry_id,
        contest=contest,
        status__in=[EntryStatus.FORWARDED, EntryStatus.ACCEPTED],
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry_transition(
                entry=entry,
                to=EntryStatus.INELIGIBLE,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã trả bài %(code)s là không hợp lệ.") % {"code": entry.tracking_code}
            )
            return redirect("judging:duplicates", slug=slug)
    return render(
        request,
        "judging/ineligible.html",
        {
            "contest": contest,
            "entry": entry,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def judging_settings(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    instance = judging_settings_for(contest=contest)
    form = JudgingSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu cấu hình chấm thi."))
        return redirect(request.path)
    return render(
        request,
        "judging/settings.html",
        {
            "contest": contest,
            "form": form,
            "criteria": contest.criteria.order_by("round", "position"),
            "rubric_locked": rubric_is_locked(contest=contest),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking_page(request, slug):
    contest = _contest(request, slug, RANKING_READERS)
    kind = request.GET.get("loai", EntryKind.INDIVIDUAL)
    if kind not in EntryKind.values:
        kind = EntryKind.INDIVIDUAL
    tie_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        kind = request.POST.get("kind", kind)
        if kind not in EntryKind.values:
            raise Http404
        try:
            if action == "compute":
                ranking.ranking_compute(contest=contest, kind=kind, by=request.user)
                messages.success(request, _("Đã tính bảng xếp hạng."))
            elif action == "approve":
                # The service approves the whole ranking, whichever page was shown.
                current = selectors.ranking_of(contest=contest, kind=kind)
                if current is None:
                    raise Http404
                ranking.ranking_approve(ranking=current, by=request.user)
                messages.success(request, _("Đã phê duyệt bảng xếp hạng."))
            elif action == "tie":
                current = selectors.ranking_of(contest=contest, kind=kind)
                row_id = request.POST.get("row", "")
                pair = (
                    selectors.ranking_tie_pair(ranking=current, row_id=int(row_id))
                    if current is not None and row_id.isdigit()
                    else None
                )
                if pair is None:
                    raise Http404
                row, nxt = pair
                tie_form = TieDecisionForm(
                    request.POST, pair=[row.entry, nxt.entry] if nxt else [row.entry]
                )
                if tie_form.is_valid():
                    ranking.ranking_record_tie_decision(
                        row=row,
                        first_entry_id=tie_form.cleaned_data["first_entry"],
                        decision=tie_form.cleaned_data["decision"],
                        by=request.user,
                    )
                    messages.success(request, _("Đã ghi quyết định phân định."))
                else:
                    messages.error(request, _("Vui lòng chọn bài xếp trên và ghi quyết định."))
            else:
                raise Http404
        except JudgingRefused as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?loai={kind}")
    category_code = request.GET.get("linh-vuc", "")
    categories = list(contest.categories.all())
    category = next((c for c in categories if category_code and c.code == category_code), None)
    flagged_only = request.GET.get("chenh-lech") == "1"
    current = selectors.ranking_of(contest=contest, kind=kind)
    context = {
        "contest": contest,
        "kind": kind,
        "kinds": EntryKind.choices,
        "ranking": current,
        "categories": categories,
        "category": category,
        "flagged_only": flagged_only,
        "can_compute": request.user.has_perm("contest.run_judging", contest),
        "can_approve": request.user.has_perm("contest.approve_ranking", contest),
        "settings": judging_settings_for(contest=contest),
    }
    if current is not None:
        counts = selectors.ranking_counts(ranking=current)
        rows = selectors.ranking_rows(
            ranking=current, category_id=category.pk if category else None, flagged=flagged_only
        )
        # The whole ranking's counts are known: only a category's rows need counting.
        known = None if category else counts.flagged if flagged_only else counts.rows
        page, query = page_of(request.GET, rows, count=known)
        context.update(
            {
                "page": page,
                "query": query,
                "counts": counts,
                "flagged": list(
                    selectors.ranking_rows(ranking=current, flagged=True)[:FLAGGED_SHOWN]
                )
                if counts.flagged
                else [],
                "flagged_shown": FLAGGED_SHOWN,
                # the template draws each decision's form (two entries, a text)
                "tie_pairs": []
                if category or not counts.ties
                else selectors.ranking_ties(ranking=current, limit=TIES_SHOWN),
            }
        )
    return render(request, "judging/ranking.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def presentation_page(request, slug):
    contest = _contest(request, slug, SECRETARIAT)
    form = ScheduleForm(request.POST if request.POST.get("action") == "schedule" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "shortlist":
                n = presentation.presentation_shortlist(contest=contest, by=request.user)
                messages.success(request, _("Đã chọn %(n)s bài vào vòng thuyết trình.") % {"n": n})
                return redirect(request.path)
            if action == "assign":
                n = assignment_services.assignment_auto(
                    contest=contest, by=request.user, round=ScoringRound.PRESENTATION
                )
                messages.success(
                    request, _("Đã phân công %(n)s lượt chấm thuyết trình.") % {"n": n}
                )
                return redirect(request.path)
            if action == "schedule" and form.is_valid():
                presentation.presentation_schedule(
                    contest=contest,
                    by=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    minutes=form.cleaned_data["minutes"],
                    place=form.cleaned_data["place"],
                )
                messages.success(request, _("Đã lập lịch thuyết trình."))
                return redirect(request.path)
        except JudgingRefused as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
    slots = (
        PresentationSlot.objects.filter(contest=contest)
        .select_related("entry", "entry__category")
        .order_by("order")
    )
    return render(
        request,
        "judging/presentation.html",
        {
            "contest": contest,
            "slots": slots,
            "form": form,
            "criteria": rubric_for(contest=contest, round=ScoringRound.PRESENTATION),
        },
    )
