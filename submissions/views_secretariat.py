"""Pages of the secretariat: the quota compliance board (with its XLSX export) and the
intake of forwarded batches, where each entry is accepted into judging or returned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contest.models import Contest
from contest.paging import page_of

from . import screening
from .enums import EntryStatus as S
from .exports import compliance_board_xlsx
from .forms_screening import ReasonForm
from .models import Entry, ExplanationLetter, ForwardingBatch
from .quotas import (
    BOARD_UNIT_TYPES,
    ComplianceStatus,
    compliance_rows,
    secretariat_compliance_board,
)
from .selectors_screening import (
    ALL,
    INTAKE_PAGE_SIZE,
    INTAKE_STATUSES,
    IntakeFilters,
    contests_of_secretariat,
    intake_entries,
    intake_page_batches,
    intake_status_counts,
)
from .views_unit import cover_letter_response, explanation_response
from .workflow import TransitionRefused

BOARD_SORTS = ["name", "type", "minimum", "received", "selected", "forwarded", "status"]


def contest_for_user(*, user, contest_id: int, perm: str) -> Contest:
    """The contest if the user holds `perm` on it; 404 for missing and not-yours alike."""
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None or not user.has_perm(perm, contest):
        raise Http404
    return contest


@login_required
@require_GET
def secretariat_index(request):
    contests = list(contests_of_secretariat(user=request.user))
    if len(contests) == 1:
        return redirect("secretariat:intake", contest_id=contests[0].pk)
    return render(request, "secretariat/index.html", {"contests": contests})


def _board_params(request) -> dict:
    unit_type = request.GET.get("type", "")
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "")
    return {
        "unit_type": unit_type if unit_type in BOARD_UNIT_TYPES else "",
        "status": status if status in ComplianceStatus.values else "",
        "sort": sort if sort.removeprefix("-") in BOARD_SORTS else "",
    }


@login_required
@require_GET
def compliance_board(request, contest_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.view_compliance_board"
    )
    params = _board_params(request)
    board = secretariat_compliance_board(contest=contest, **params)
    page, query = page_of(request.GET, board.rows)
    columns = [
        ("name", _("Đơn vị")),
        ("type", _("Loại đơn vị")),
        ("minimum", _("Chỉ tiêu")),
        ("received", _("Đã nhận")),
        ("selected", _("Đã chọn")),
        ("forwarded", _("Đã gửi")),
        ("status", _("Tình trạng")),
    ]
    return render(
        request,
        "secretariat/compliance.html",
        {
            "contest": contest,
            "page": page,
            "query": query,
            "params": params,
            "columns": [
                {
                    "key": key,
                    "label": label,
                    "next": f"-{key}" if params["sort"] == key else key,
                    "aria": (
                        "ascending"
                        if params["sort"] == key
                        else "descending"
                        if params["sort"] == f"-{key}"
                        else ""
                    ),
                }
                for key, label in columns
            ],
            "unit_types": [(t.value, t.label) for t in BOARD_UNIT_TYPES],
            "statuses": ComplianceStatus.choices,
            "summary": board.summary,
            "computed_at": board.computed_at,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def compliance_board_export(request, contest_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.view_compliance_board"
    )
    rows = compliance_rows(contest=contest, **_board_params(request))
    response = HttpResponse(
        compliance_board_xlsx(contest=contest, rows=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tuan-thu-{contest.slug}.xlsx"'
    return response


INTAKE_PARAMS = ("status", "category", "q", "sort", "page", "all")


def _intake_params(raw: str) -> QueryDict:
    """The intake list's own parameters out of a query string, nothing else."""
    given = QueryDict(raw)
    kept = QueryDict(mutable=True)
    for key in INTAKE_PARAMS:
        if given.get(key):
            kept[key] = given[key]
    return kept


def _back_to_intake(request, contest: Contest):
    """Back to the page and filters the action was taken from."""
    url = reverse("secretariat:intake", args=[contest.pk])
    params = _intake_params(request.POST.get("back", ""))
    return redirect(f"{url}?{params.urlencode()}" if params else url)


def _render_intake(
    request,
    contest: Contest,
    *,
    params: QueryDict,
    return_forms: dict | None = None,
    status: int = 200,
):
    categories = list(contest.categories.all())
    filters = IntakeFilters.from_params(params, category_ids={c.pk for c in categories})
    page, query = page_of(
        params, intake_entries(contest=contest, filters=filters), per_page=INTAKE_PAGE_SIZE
    )
    counts = intake_status_counts(contest=contest)
    return render(
        request,
        "secretariat/intake.html",
        {
            "contest": contest,
            "page": page,
            "query": query,
            "batches": intake_page_batches(contest=contest, entries=list(page.object_list)),
            "filters": filters,
            "counts": counts.statuses,
            "counts_at": counts.computed_at,
            "statuses": [(s.value, s.label) for s in INTAKE_STATUSES],
            "all_statuses": ALL,
            "categories": categories,
            "sorts": [
                ("-batch", _("Đợt gửi mới nhất trước")),
                ("batch", _("Đợt gửi cũ nhất trước")),
            ],
            "return_forms": return_forms or {},
            "forwarded": S.FORWARDED,
            "back": params.urlencode(),
        },
        status=status,
    )


@login_required
@require_GET
def intake(request, contest_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.receive_forwarded"
    )
    return _render_intake(request, contest, params=request.GET)


def _forwarded_entry(contest: Contest, entry_id: int) -> Entry:
    entry = Entry.objects.filter(
        pk=entry_id, contest=contest, forwarding_batch__isnull=False
    ).first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_POST
def entry_accept(request, contest_id: int, entry_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.receive_forwarded"
    )
    entry = _forwarded_entry(contest, entry_id)
    try:
        screening.entry_accept(entry=entry, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Bài %(code)s hợp lệ, đã đưa vào vòng chấm.") % {"code": entry.tracking_code}
        )
    return _back_to_intake(request, contest)


@login_required
@require_POST
def entry_return(request, contest_id: int, entry_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.receive_forwarded"
    )
    entry = _forwarded_entry(contest, entry_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Vui lòng nêu lý do trả lại bài %(code)s.") % {"code": entry.tracking_code}
        )
        return _render_intake(
            request,
            contest,
            params=_intake_params(request.POST.get("back", "")),
            return_forms={entry.pk: form},
            status=400,
        )
    try:
        screening.entry_return_ineligible(
            entry=entry, by=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã trả lại bài %(code)s là không hợp lệ; đơn vị và tác giả được thông báo.")
            % {"code": entry.tracking_code},
        )
    return _back_to_intake(request, contest)


@login_required
@require_GET
def cover_letter_download(request, contest_id: int, batch_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.view_compliance_board"
    )
    batch = ForwardingBatch.objects.filter(pk=batch_id, contest=contest).first()
    if batch is None:
        raise Http404
    return cover_letter_response(batch)


@login_required
@require_GET
def explanation_download(request, contest_id: int, letter_id: int):
    contest = contest_for_user(
        user=request.user, contest_id=contest_id, perm="contest.view_compliance_board"
    )
    letter = ExplanationLetter.objects.filter(pk=letter_id, contest=contest).first()
    if letter is None:
        raise Http404
    return explanation_response(letter)
