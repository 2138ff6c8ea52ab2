"""The entrant's wizard, the receipt, file downloads and paper intake by unit staff.
Views parse input and call services; every rule is in services.py."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import forms as f
from . import selectors, services
from .enums import EDITABLE_BY_ENTRANT, EntryKind, EntryStatus, FilePurpose
from .receipt import receipt_pdf
from .services import STEPS, EntryNotReady
from .workflow import TransitionRefused

STEP_BY_SLUG = {slug: (key, title) for key, slug, title in STEPS}
SLUG_BY_KEY = {key: slug for key, slug, _title in STEPS}


def _step_url(entry, key: str) -> str:
    if key == "review":
        return reverse("submissions:review", args=[entry.pk])
    return reverse("submissions:step", args=[entry.pk, SLUG_BY_KEY[key]])


def _step_nav(entry, current: str, problems: dict | None = None) -> list[dict]:
    nav = [
        {
            "key": key,
            "title": _(title),
            "url": _step_url(entry, key),
            "current": key == current,
            "has_problem": bool(problems and key in problems),
        }
        for key, _slug, title in STEPS
    ]
    nav.append(
        {
            "key": "review",
            "title": _("Xem lại và gửi"),
            "url": _step_url(entry, "review"),
            "current": current == "review",
            "has_problem": False,
        }
    )
    return nav


def _neighbours(key: str) -> tuple[str | None, str]:
    keys = [k for k, _s, _t in STEPS]
    i = keys.index(key)
    return (keys[i - 1] if i else None), (keys[i + 1] if i + 1 < len(keys) else "review")


# --- start ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The wizard's entry point: the user's entries in the open contest and a new draft."""
    contest = selectors.contest_for_intake()
    if contest is None:
        return render(request, "submissions/closed.html", status=200)
    if request.method == "POST":
        entry = services.entry_start(contest=contest, owner=request.user)
        return redirect(_step_url(entry, "authors"))
    return render(
        request,
        "submissions/start.html",
        {
            "contest": contest,
            "entries": selectors.entries_of_owner(user=request.user, contest=contest),
            "draft_status": EntryStatus.DRAFT,
            "steps": STEPS,
        },
    )


@login_required
def resume(request, entry_id: int):
    entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id)
    if entry.status == EntryStatus.DRAFT:
        return redirect(_step_url(entry, entry.wizard_step or "authors"))
    return redirect("submissions:receipt", entry_id=entry.pk)


# --- wizard steps -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def step(request, entry_id: int, slug: str):
    if slug not in STEP_BY_SLUG:
        raise Http404
    entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id, details=False)
    if entry.status not in EDITABLE_BY_ENTRANT:
        messages.info(request, _("Đơn vị đã bắt đầu sơ loại; bài dự thi chỉ còn xem được."))
        return redirect("submissions:receipt", entry_id=entry.pk)
    key, title = STEP_BY_SLUG[slug]
    handler = _HANDLERS[key]
    context = handler(request, entry)
    if isinstance(context, HttpResponse):
        return context
    previous, _following = _neighbours(key)
    context.update(
        {
            "entry": entry,
            "step_key": key,
            "step_title": _(title),
            "nav": _step_nav(entry, key),
            "previous_url": _step_url(entry, previous) if previous else None,
            "is_submitted": entry.status == EntryStatus.SUBMITTED,
        }
    )
    return render(request, f"submissions/wizard/{key}.html", context)


def _after_save(request, entry, key: str, problems: list, form) -> HttpResponse | None:
    """After a successful save: go on, or stay and show what is still missing."""
    action = request.POST.get("action", "next")
    if problems and action == "next":
        f.add_problems(form, problems)
        messages.warning(request, _("Đã lưu nháp. Vui lòng bổ sung, sửa các mục dưới đây."))
        return None
    messages.success(request, _("Đã lưu."))
    if action == "next":
        return redirect(_step_url(entry, _neighbours(key)[1]))
    return redirect(_step_url(entry, key))


def _save(request, call, form) -> bool:
    """Run a service; show a refusal on the form instead of failing."""
    try:
        call()
    except EntryNotReady as refused:
        for problems in refused.problems.values():
            f.add_problems(form, problems)
        return False
    except ValidationError as refused:
        form.add_error(None, refused)
        return False
    except PermissionDenied:
        raise Http404 from None
    return True


def _step_problems(entry, key: str) -> list:
    entry = selectors.entry_of_owner(user=entry.owner, entry_id=entry.pk)
    return services.entry_problems(entry=entry).get(key, [])


def _authors_step(request, entry):
    authors = list(entry.authors.all())
    add_one = request.GET.get("them") == "1"
    missing = 2 - len(authors) if entry.kind == EntryKind.GROUP else 1 - len(authors)
    extra = max(missing, 1 if add_one else 0)
    formset_class = f.forms.formset_factory(
        f.AuthorForm,
        formset=f.BaseAuthorFormSet,
        extra=extra,
        can_delete=True,
        max_num=20,
        absolute_max=30,
    )
    initial = [
        {
            "full_name": a.full_name,
            "job_title": a.job_title,
            "workplace": a.workplace,
            "address": a.address,
            "phone": a.phone,
            "email": a.email,
            "is_representative": a.is_representative,
        }
        for a in authors
    ]
    if request.method == "POST":
        kind_form = f.KindForm(request.POST)
        formset = formset_class(request.POST, initial=initial, prefix="tac_gia")
        if kind_form.is_valid() and formset.is_valid():
            ok = _save(
                request,
                lambda: services.entry_save_authors(
                    entry=entry,
                    by=request.user,
                    kind=kind_form.cleaned_data["kind"],
                    authors=formset.authors(),
                ),
                kind_form,
            )
            if ok:
                if request.POST.get("action") == "add_author":
                    messages.success(request, _("Đã lưu. Nhập thông tin tác giả mới ở cuối."))
                    return redirect(_step_url(entry, "authors") + "?them=1#cuoi")
                response = _after_save(
                    request, entry, "authors", _step_problems(entry, "authors"), kind_form
                )
                if response:
                    return response
        else:
            kind_form.add_error(None, _("Vui lòng sửa các lỗi được đánh dấu bên dưới."))
    else:
        kind_form = f.KindForm(initial={"kind": entry.kind})
        formset = formset_class(initial=initial, prefix="tac_gia")
    return {"kind_form": kind_form, "formset": formset}


def _category_step(request, entry):
    categories = selectors.categories_of(contest=entry.contest)
    if request.method == "POST":
        form = f.CategoryForm(request.POST, categories=categories)
        if form.is_valid() and _save(
            request,
            lambda: services.entry_save_category(
                entry=entry, by=request.user, category_id=form.cleaned_data["category"]
            ),
            form,
        ):
            response = _after_save(
                request, entry, "category", _step_problems(entry, "category"), form
            )
            if response:
                return response
    else:
        form = f.CategoryForm(initial={"category": entry.category_id}, categories=categories)
    return {"form": form, "categories": categories}


def _idea_step(request, entry):
    if request.method == "POST":
        form = f.IdeaForm(request.POST, instance=entry)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.IDEA_FIELDS}
            if _save(
                request,
                lambda: services.entry_save_idea(entry=entry, by=request.user, **values),
                form,
            ):
                response = _after_save(request, entry, "idea", _step_problems(entry, "idea"), form)
                if response:
                    return response
    else:
        form = f.IdeaForm(instance=entry)
    return {"form": form}


def _files_step(request, entry):
    if request.method == "POST":
        form = f.FilesForm(request.POST, request.FILES)
        form.is_valid()
        stored = 0
        # Files first: each good file is kept even when another field is wrong.
        for name, purpose in f.FilesForm.FILE_PURPOSES.items():
            value = form.cleaned_data.get(name)
            uploads = value if isinstance(value, list) else ([value] if value else [])
            for upload in uploads:
                try:
                    services.entry_file_add(
                        entry=entry, by=request.user, upload=upload, purpose=purpose
                    )
                    stored += 1
                except (ValidationError, EntryNotReady) as refused:
                    messages_ = (
                        refused.messages
                        if isinstance(refused, ValidationError)
                        else [p.message for ps in refused.problems.values() for p in ps]
                    )
                    for message in messages_:
                        form.add_error(name, message)
                except PermissionDenied:
                    raise Http404 from None
        if stored:
            messages.info(request, _("Đã tải lên %(n)d tệp.") % {"n": stored})
        if form.is_valid() or not _shape_errors(form):
            data = form.cleaned_data
            saved = _save(
                request,
                lambda: services.entry_save_form(
                    entry=entry,
                    by=request.user,
                    form=data.get("form") or entry.form,
                    competed_before=data.get("competed_before", False),
                    previous_contest_name=data.get("previous_contest_name", ""),
                    revision_explanation=data.get("revision_explanation", ""),
                ),
                form,
            )
            if saved and not form.errors:
                response = _after_save(
                    request, entry, "files", _step_problems(entry, "files"), form
                )
                if response:
                    return response
        entry = selectors.entry_of_owner(user=request.user, entry_id=entry.pk)
    else:
        form = f.FilesForm(
            initial={
                "form": entry.form,
                "competed_before": entry.competed_before,
                "previous_contest_name": entry.previous_contest_name,
                "revision_explanation": entry.revision_explanation,
            }
        )
    return {"form": form, "stored_files": list(entry.files.all()), "fresh_entry": entry}


def _shape_errors(form) -> bool:
    """Errors on the non-file fields (the files' own errors don't stop the other fields)."""
    return any(name not in f.FilesForm.FILE_PURPOSES for name in form.errors)


def _unit_step(request, entry):
    """The receiving unit: a group or a search narrows the list (GET parameters `nhom` and
    `tim`), the form posts the chosen unit. `phan=ket-qua` answers only the list, for
    static/js/unit-picker.js."""
    current = entry.unit
    if request.method == "POST":
        form = f.UnitForm(request.POST)
        if form.is_valid() and _save(
            request,
            lambda: services.entry_set_unit(
                entry=entry, by=request.user, unit_id=form.cleaned_data["unit"]
            ),
            form,
        ):
            response = _after_save(request, entry, "unit", _step_problems(entry, "unit"), form)
            if response:
                return response
            current = selectors.unit_of_contest(
                contest=entry.contest, unit_id=form.cleaned_data["unit"]
            )
    else:
        form = f.UnitForm(initial={"unit": entry.unit_id})
    picker = selectors.unit_picker(
        contest=entry.contest,
        group=request.GET.get("nhom", "")[:20],
        q=request.GET.get("tim", "").strip()[:60],
        current=current,
    )
    context = {
        "form": form,
        "picker": picker,
        # The unit as saved (or just chosen and saved): a refused choice is not kept.
        "selected": str(current.pk) if current else "",
        "group_limit": selectors.UNIT_GROUP_LIMIT,
        "search_limit": selectors.UNIT_SEARCH_LIMIT,
    }
    if request.method == "GET" and request.GET.get("phan") == "ket-qua":
        return render(request, "submissions/wizard/unit.html#unit-options", context)
    representative = next((a for a in entry.authors.all() if a.is_representative), None)
    return {**context, "representative": representative}


def _declaration_step(request, entry):
    if request.method == "POST":
        form = f.DeclarationForm(request.POST)
        if form.is_valid() and _save(
            request,
            lambda: services.entry_save_declaration(
                entry=entry, by=request.user, **form.cleaned_data
            ),
            form,
        ):
            response = _after_save(
                request, entry, "declaration", _step_problems(entry, "declaration"), form
            )
            if response:
                return response
    else:
        form = f.DeclarationForm(
            initial={
                "declaration_accepted": entry.declaration_accepted,
                "consent_accepted": entry.consent_accepted,
            }
        )
    return {"form": form, "contest": entry.contest}


_HANDLERS = {
    "authors": _authors_step,
    "category": _category_step,
    "idea": _idea_step,
    "files": _files_step,
    "unit": _unit_step,
    "declaration": _declaration_step,
}


# --- review and submit ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review(request, entry_id: int):
    entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id)
    if request.method == "POST":
        try:
            submitted = services.entry_submit(entry=entry, by=request.user)
        except EntryNotReady as exc:
            found = [p for problems in exc.problems.values() for p in problems]
            if len(found) == 1:  # one reason (a passed deadline, say): say it as it is
                messages.error(
                    request,
                    _("Bài dự thi chưa gửi được: %(reason)s") % {"reason": found[0].message},
                )
            else:
                messages.error(
                    request,
                    _(
                        "Bài dự thi chưa đủ điều kiện gửi. Vui lòng bổ sung các mục được nêu "
                        "dưới đây."
                    ),
                )
        except (TransitionRefused, PermissionDenied):
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Đã gửi bài dự thi. Mã bài dự thi của bạn: %(code)s")
                % {"code": submitted.tracking_code},
            )
            return redirect("submissions:receipt", entry_id=submitted.pk)
        entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id)
    if (
        entry.status != EntryStatus.DRAFT
        and request.method == "GET"
        and entry.status not in EDITABLE_BY_ENTRANT
    ):
        return redirect("submissions:receipt", entry_id=entry.pk)
    problems = services.entry_problems(entry=entry)
    problem_list = [
        (key, _(title), _step_url(entry, key), problems[key])
        for key, _slug, title in STEPS
        if key in problems
    ]
    return render(
        request,
        "submissions/wizard/review.html",
        {
            "entry": entry,
            "step_key": "review",
            "step_title": _("Xem lại và gửi"),
            "nav": _step_nav(entry, "review", problems),
            "previous_url": _step_url(entry, "declaration"),
            "problems": problem_list,
            "authors": list(entry.authors.all()),
            "files": list(entry.files.all()),
            "edit_urls": {key: _step_url(entry, key) for key, _s, _t in STEPS},
            "is_submitted": entry.status == EntryStatus.SUBMITTED,
        },
    )


@login_required
def receipt(request, entry_id: int):
    entry = selectors.entry_for_receipt(user=request.user, entry_id=entry_id)
    return render(
        request,
        "submissions/receipt.html",
        {
            "entry": entry,
            "authors": list(entry.authors.all()),
            "files": list(entry.files.all()),
            "can_edit": entry.owner_id == request.user.pk and entry.status in EDITABLE_BY_ENTRANT,
            "can_withdraw": entry.owner_id == request.user.pk
            and entry.status == EntryStatus.SUBMITTED,
            "edit_urls": {key: _step_url(entry, key) for key, _s, _t in STEPS},
        },
    )


@login_required
def receipt_pdf_view(request, entry_id: int):
    entry = selectors.entry_for_receipt(user=request.user, entry_id=entry_id)
    pdf = receipt_pdf(entry=entry)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bien-nhan-{entry.tracking_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, entry_id: int):
    entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id)
    if entry.status != EntryStatus.SUBMITTED:
        raise Http404
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:2000]
        try:
            services.entry_withdraw(entry=entry, by=request.user, reason=reason)
        except TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Đã rút bài dự thi %(code)s.") % {"code": entry.tracking_code}
            )
        return redirect("submissions:receipt", entry_id=entry.pk)
    return render(request, "submissions/withdraw.html", {"entry": entry})


# --- files ------------------------------------------------------------------------------


@login_required
def file_download(request, file_id: int):
    found = selectors.entry_file_for_download(user=request.user, file_id=file_id)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=found.content_type or "application/octet-stream")
    ascii_name = found.original_name.encode("ascii", "ignore").decode().replace('"', "") or "tep"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def file_remove(request, entry_id: int, file_id: int):
    entry = selectors.entry_of_owner(user=request.user, entry_id=entry_id)
    try:
        services.entry_file_remove(entry=entry, by=request.user, file_id=file_id)
    except PermissionDenied:
        raise Http404 from None
    except EntryNotReady as refused:
        for problems in refused.problems.values():
            for problem in problems:
                messages.error(request, problem.message)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xoá tệp."))
    return redirect(_step_url(entry, "files"))


# --- paper intake by unit staff ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, unit_id: int, entry_id: int | None = None):
    unit = selectors.unit_for_paper_intake(user=request.user, unit_id=unit_id)
    entry = selectors.paper_entry_of_unit(unit=unit, entry_id=entry_id) if entry_id else None
    categories = selectors.categories_of(contest=unit.contest)
    authors = list(entry.authors.all()) if entry else []
    extra = 1 if request.GET.get("them") == "1" else 0
    formset_class = f.forms.formset_factory(
        f.AuthorForm,
        formset=f.BaseAuthorFormSet,
        extra=max(2 - len(authors), 0) + extra,
        can_delete=True,
        max_num=20,
        absolute_max=30,
    )
    initial_authors = [
        {
            "full_name": a.full_name,
            "job_title": a.job_title,
            "workplace": a.workplace,
            "address": a.address,
            "phone": a.phone,
            "email": a.email,
            "is_representative": a.is_representative,
        }
        for a in authors
    ]
    problems: list = []
    if request.method == "POST":
        form = f.PaperEntryForm(request.POST, request.FILES, categories=categories)
        formset = formset_class(request.POST, initial=initial_authors, prefix="tac_gia")
        form_ok = form.is_valid()
        formset_ok = formset.is_valid()
        # A draft as soon as there is something to keep, so nothing typed or uploaded is lost.
        if entry is None and ((form_ok and formset_ok) or form.cleaned_data.get("scan")):
            entry = services.entry_start_paper(unit=unit, by=request.user)
        scan = form.cleaned_data.get("scan")
        if entry is not None and scan:
            try:
                services.entry_file_add(
                    entry=entry, by=request.user, upload=scan, purpose=FilePurpose.SCAN
                )
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error("scan", message)
        if entry is not None and form_ok and formset_ok:
            data = form.cleaned_data
            saved = _save(
                request,
                lambda: services.entry_save_paper(
                    entry=entry,
                    by=request.user,
                    kind=data["kind"],
                    authors=formset.authors(),
                    category_id=data["category"],
                    title=data["title"],
                    summary=data["summary"],
                    form=data["form"],
                    competed_before=data["competed_before"],
                    previous_contest_name=data["previous_contest_name"],
                    revision_explanation=data["revision_explanation"],
                    received_via=data["received_via"],
                    paper_reference=data["paper_reference"],
                    declaration_accepted=data["declaration_accepted"],
                ),
                form,
            )
            if saved and request.POST.get("action") == "add_author":
                return redirect(
                    reverse("submissions:paper_edit", args=[unit.pk, entry.pk]) + "?them=1"
                )
            if saved and not form.errors:
                try:
                    submitted = services.entry_submit(entry=entry, by=request.user)
                except EntryNotReady as refused:
                    problems = [p for ps in refused.problems.values() for p in ps]
                    f.add_problems(form, problems)
                    messages.warning(
                        request,
                        _(
                            "Đã lưu bản nháp. Vui lòng bổ sung các mục "
                            "dưới đây rồi bấm “Ghi nhận bài dự thi”."
                        ),
                    )
                except (TransitionRefused, PermissionDenied):
                    raise Http404 from None
                else:
                    messages.success(
                        request,
                        _("Đã ghi nhận bài dự thi nộp giấy, mã %(code)s.")
                        % {"code": submitted.tracking_code},
                    )
                    return redirect("submissions:receipt", entry_id=submitted.pk)
        if entry is not None:
            entry = selectors.paper_entry_of_unit(unit=unit, entry_id=entry.pk)
    else:
        initial = {"received_via": "paper", "kind": EntryKind.INDIVIDUAL, "form": "written"}
        if entry:
            initial = {
                "received_via": entry.received_via or "paper",
                "paper_reference": entry.paper_reference,
                "kind": entry.kind,
                "category": entry.category_id,
                "title": entry.title,
                "summary": entry.summary,
                "form": entry.form,
                "competed_before": entry.competed_before,
                "previous_contest_name": entry.previous_contest_name,
                "revision_explanation": entry.revision_explanation,
                "declaration_accepted": entry.declaration_accepted,
            }
        form = f.PaperEntryForm(initial=initial, categories=categories)
        formset = formset_class(initial=initial_authors, prefix="tac_gia")
    return render(
        request,
        "submissions/paper_entry.html",
        {
            "unit": unit,
            "entry": entry,
            "form": form,
            "formset": formset,
            "stored_files": list(entry.files.all()) if entry else [],
            "drafts": selectors.paper_drafts_of_unit(unit=unit),
            "action_url": (
                reverse("submissions:paper_edit", args=[unit.pk, entry.pk])
                if entry
                else reverse("submissions:paper_new", args=[unit.pk])
            ),
        },
    )
