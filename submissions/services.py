"""Entry intake: the entrant's draft, its rules, submission with a tracking code, paper
entries registered by unit staff, and files. Every rule lives here; forms only check shape."""

import datetime as dt
import difflib
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contest.models import Category, CommitteeMember, Contest, Unit
from contest.outbox import outbox_enqueue
from contest.selectors import unit_intake_deadline
from contest.services import deadline_is_open, event_record
from contest.templatetags.portal import instant

from . import files as filecheck
from .enums import ACTIVE, EDITABLE_BY_ENTRANT, EntryForm, EntryKind, EntryStatus, FilePurpose
from .models import IDEA_FIELDS, Author, Entry, EntryFile
from .workflow import entry_transition

# The wizard's steps, in order: (key, URL slug, title).
# Titles are marked for makemessages here and translated where they are shown.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("authors", "tac-gia", gettext_noop("Tác giả")),
    ("category", "linh-vuc", gettext_noop("Lĩnh vực")),
    ("idea", "y-tuong", gettext_noop("Nội dung ý tưởng")),
    ("files", "tep", gettext_noop("Hình thức và tệp")),
    ("unit", "don-vi", gettext_noop("Đơn vị tiếp nhận")),
    ("declaration", "cam-ket", gettext_noop("Cam kết")),
)
STEP_KEYS = tuple(key for key, _slug, _title in STEPS)
TITLE_SIMILARITY = 0.9
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: safe to read aloud
RECEIVED_ONLINE, RECEIVED_PAPER, RECEIVED_IOFFICE = "online", "paper", "ioffice"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One broken rule: the form field it concerns (or None) and a Vietnamese message."""

    field: str | None
    message: str


class EntryNotReady(Exception):
    """The entry cannot be submitted yet; `problems` maps step keys to Problems."""

    def __init__(self, problems: dict[str, list[Problem]]):
        super().__init__("entry not ready")
        self.problems = problems


@dataclass(frozen=True)
class AuthorData:
    full_name: str
    job_title: str = ""
    workplace: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    is_representative: bool = False


# --- normalisation ----------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def text_key(value: str) -> str:
    """Unicode NFC, casefold, spaces collapsed: how names and titles are compared."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "").casefold()).strip()


def phone_key(value: str) -> str:
    """Digits only, +84/84 written as 0: how phone numbers are compared."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def titles_similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", (value or "").strip())


# --- drafts -----------------------------------------------------------------------------


def entry_start(*, contest: Contest, owner) -> Entry:
    """A new draft owned by the user, its first author filled from the user's profile."""
    with transaction.atomic():
        entry = Entry.objects.create(
            contest=contest, owner=owner, received_via=RECEIVED_ONLINE, wizard_step=STEP_KEYS[0]
        )
        name = _clean(getattr(owner, "full_name", ""))
        Author.objects.create(
            entry=entry,
            position=1,
            full_name=name,
            name_key=text_key(name),
            job_title=_clean(getattr(owner, "position", "")),
            workplace=_clean(getattr(owner, "workplace", "")),
            address=_clean(getattr(owner, "address", "")),
            phone=_clean(getattr(owner, "phone", "")),
            phone_key=phone_key(getattr(owner, "phone", "")),
            email=(owner.email or "").strip(),
            user=owner,
            is_representative=True,
        )
        event_record(
            target=entry,
            action="draft_created",
            actor=owner,
            to_state=entry.status,
            contest=contest,
        )
    return entry


def _may_edit(entry: Entry, by) -> bool:
    if entry.entered_by_staff_id is not None:
        return (
            entry.status == EntryStatus.DRAFT
            and entry.unit_id is not None
            and by.has_perm("contest.register_paper_entry", entry.unit)
        )
    return entry.owner_id is not None and entry.owner_id == getattr(by, "pk", None)


@contextmanager
def _editing(entry: Entry, by, step: str) -> Iterator[Entry]:
    """Lock the entry for a change of one step. A submitted entry may be edited until the
    unit starts screening and before the unit's deadline, and must stay complete: a change
    that breaks a rule of the step is rolled back with the problems."""
    with transaction.atomic():
        locked = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("contest", "unit__contest", "category")
            .get(pk=entry.pk)
        )
        if not _may_edit(locked, by):
            raise PermissionDenied
        if locked.status not in EDITABLE_BY_ENTRANT:
            raise ValidationError(
                _("Đơn vị tiếp nhận đã bắt đầu sơ loại nên bài dự thi không thể sửa nữa.")
            )
        if locked.status == EntryStatus.SUBMITTED:
            deadline = unit_intake_deadline(locked.unit)
            if not deadline_is_open(deadline=deadline):
                raise ValidationError(
                    _(
                        "Đã hết hạn nhận bài của %(unit)s nên không thể sửa bài nữa. Hạn nộp là "
                        "%(deadline)s (giờ Việt Nam); bài chỉ được sửa trước thời điểm này."
                    )
                    % {"unit": locked.unit.name, "deadline": instant(deadline)}
                )
        yield locked
        if locked.status == EntryStatus.SUBMITTED:
            problems = entry_problems(entry=locked).get(step)
            if problems:
                raise EntryNotReady({step: problems})
            locked.version += 1
            locked.save(update_fields=["version", "updated_at"])
            event_record(
                target=locked,
                action="edited",
                actor=by,
                from_state=locked.status,
                to_state=locked.status,
                contest=locked.contest,
                data={"step": step},
            )
        else:
            _advance_step(locked, step)
    entry.refresh_from_db()


def _advance_step(entry: Entry, step: str) -> None:
    """Remember where to resume: the step after the furthest one saved."""
    current = STEP_KEYS.index(entry.wizard_step) if entry.wizard_step in STEP_KEYS else 0
    following = min(STEP_KEYS.index(step) + 1, len(STEP_KEYS) - 1)
    if following > current:
        entry.wizard_step = STEP_KEYS[following]
        entry.save(update_fields=["wizard_step", "updated_at"])


def _replace_authors(entry: Entry, authors: list[AuthorData], owner) -> None:
    entry.authors.all().delete()
    owner_email = (getattr(owner, "email", "") or "").casefold()
    Author.objects.bulk_create(
        Author(
            entry=entry,
            position=i,
            full_name=_clean(a.full_name),
            name_key=text_key(a.full_name),
            job_title=_clean(a.job_title),
            workplace=_clean(a.workplace),
            address=_clean(a.address),
            phone=_clean(a.phone),
            phone_key=phone_key(a.phone),
            email=(a.email or "").strip(),
            is_representative=a.is_representative,
            user=owner
            if owner is not None
            and owner_email
            and (a.email or "").strip().casefold() == owner_email
            else None,
        )
        for i, a in enumerate(authors, start=1)
    )


def entry_save_authors(*, entry: Entry, by, kind: str, authors: list[AuthorData]) -> Entry:
    if kind not in EntryKind.values:
        raise ValidationError(_("Loại bài dự thi không hợp lệ."))
    authors = [
        a
        for a in authors
        if any(
            _clean(v) for v in (a.full_name, a.job_title, a.workplace, a.address, a.phone, a.email)
        )
    ]
    if kind == EntryKind.INDIVIDUAL and len(authors) == 1:
        authors = [AuthorData(**{**authors[0].__dict__, "is_representative": True})]
    with _editing(entry, by, "authors") as locked:
        locked.kind = kind
        locked.save(update_fields=["kind", "updated_at"])
        _replace_authors(locked, authors, locked.owner)
    return entry


def entry_save_category(*, entry: Entry, by, category_id: int | None) -> Entry:
    with _editing(entry, by, "category") as locked:
        category = (
            Category.objects.filter(pk=category_id, contest_id=locked.contest_id).first()
            if category_id
            else None
        )
        if category_id and category is None:
            raise EntryNotReady(
                {
                    "category": [
                        Problem(
                            "category", _("Lĩnh vực không hợp lệ; vui lòng chọn trong danh sách.")
                        )
                    ]
                }
            )
        locked.category = category
        locked.save(update_fields=["category", "updated_at"])
    return entry


IDEA_REQUIRED = ("title", "summary", "problem", "solution", "expected_effect")


def entry_save_idea(*, entry: Entry, by, **values: str) -> Entry:
    unknown = set(values) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"unknown idea fields: {sorted(unknown)}")
    with _editing(entry, by, "idea") as locked:
        for name, value in values.items():
            setattr(locked, name, _clean(value))
        locked.title_key = text_key(locked.title)
        locked.save(update_fields=[*values, "title_key", "updated_at"])
    return entry


def entry_save_form(
    *,
    entry: Entry,
    by,
    form: str,
    competed_before: bool,
    previous_contest_name: str = "",
    revision_explanation: str = "",
) -> Entry:
    if form not in EntryForm.values:
        raise ValidationError(_("Hình thức dự thi không hợp lệ."))
    with _editing(entry, by, "files") as locked:
        locked.form = form
        locked.competed_before = competed_before
        locked.previous_contest_name = _clean(previous_contest_name)
        locked.revision_explanation = _clean(revision_explanation)
        locked.save(
            update_fields=[
                "form",
                "competed_before",
                "previous_contest_name",
                "revision_explanation",
                "updated_at",
            ]
        )
    return entry


def entry_set_unit(*, entry: Entry, by, unit_id: int | None) -> Entry:
    with _editing(entry, by, "unit") as locked:
        if locked.status != EntryStatus.DRAFT:
            if unit_id != locked.unit_id:
                raise EntryNotReady(
                    {
                        "unit": [
                            Problem(
                                "unit",
                                _(
                                    "Bài đã gửi không thể đổi đơn vị tiếp nhận. "
                                    "Nếu cần, hãy rút bài rồi gửi "
                                    "lại cho đơn vị khác."
                                ),
                            )
                        ]
                    }
                )
            return entry
        unit = _unit_for(locked.contest_id, unit_id) if unit_id else None
        if unit_id and unit is None:
            raise EntryNotReady(
                {
                    "unit": [
                        Problem(
                            "unit",
                            _("Đầu mối tiếp nhận không hợp lệ; vui lòng chọn trong danh sách."),
                        )
                    ]
                }
            )
        locked.unit = unit
        locked.holder = unit
        locked.save(update_fields=["unit", "holder", "updated_at"])
    return entry


def _unit_for(contest_id: int, unit_id: int) -> Unit | None:
    return (
        Unit.objects.select_related("contest", "parent")
        .filter(pk=unit_id, contest_id=contest_id, is_active=True)
        .first()
    )


def entry_save_declaration(
    *, entry: Entry, by, declaration_accepted: bool, consent_accepted: bool
) -> Entry:
    with _editing(entry, by, "declaration") as locked:
        locked.declaration_accepted = declaration_accepted
        locked.consent_accepted = consent_accepted
        locked.save(update_fields=["declaration_accepted", "consent_accepted", "updated_at"])
    return entry


# --- files ------------------------------------------------------------------------------


def entry_file_add(*, entry: Entry, by, upload, purpose: str) -> EntryFile:
    """Check an uploaded file by its content and store it under an unguessable key. One
    main document, content text, revision letter or scan per entry: a new one replaces
    the old. Text is extracted after commit."""
    if purpose not in FilePurpose.values:
        raise ValidationError(_("Loại tệp không hợp lệ."))
    facts = filecheck.inspect_upload(upload, purpose=purpose)
    step = "files"
    with _kept_only_if_committed() as keep, _editing(entry, by, step) as locked:
        replaced: list[EntryFile] = []
        if purpose in filecheck.SINGLE_PURPOSES:
            replaced = list(locked.files.filter(purpose=purpose))
        elif locked.files.filter(purpose=purpose).count() >= filecheck.MAX_ATTACHMENTS:
            raise ValidationError(
                _("Mỗi bài dự thi kèm theo tối đa %(n)d tệp.") % {"n": filecheck.MAX_ATTACHMENTS}
            )
        stored = EntryFile(
            entry=locked,
            purpose=purpose,
            original_name=facts.name,
            size=facts.size,
            sha256=facts.sha256,
            content_type=facts.content_type,
            kind=facts.kind,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        upload.seek(0)
        stored.file.save(facts.name, upload, save=False)
        keep(stored.file.name)
        stored.save()
        old_names = [f.file.name for f in replaced]
        for old in replaced:
            old.delete()
        transaction.on_commit(partial(_delete_stored, old_names))
        from .tasks import task_extract_text

        outbox_enqueue(task_extract_text, file_id=stored.pk)
    return stored


def entry_file_remove(*, entry: Entry, by, file_id: int) -> None:
    with _editing(entry, by, "files") as locked:
        found = locked.files.filter(pk=file_id).first()
        if found is None:
            raise PermissionDenied
        name = found.file.name
        found.delete()
        transaction.on_commit(partial(_delete_stored, [name]))


def _delete_stored(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def _kept_only_if_committed() -> Iterator[Callable[[str], None]]:
    """Files stored inside the block (`keep(name)`, inside its transaction) are deleted again
    when the block fails before their rows commit (a broken rule, the database lost
    mid-request), so a failed upload leaves no orphan file in storage."""
    names: list[str] = []
    committed: list[bool] = []

    def keep(name: str) -> None:
        names.append(name)
        transaction.on_commit(partial(committed.append, True))

    try:
        yield keep
    except BaseException:
        if not committed:
            for name in names:
                try:
                    default_storage.delete(name)
                except Exception:  # keep the error that failed the upload
                    log.exception("upload %s: row rolled back, file not deleted", name)
        raise


def entry_file_extract_text(*, file_id: int) -> None:
    """Fill EntryFile.extracted_text from a docx or pdf. Safe to run twice."""
    found = EntryFile.objects.filter(pk=file_id).first()
    if found is None or found.kind != filecheck.DOCUMENT:
        return
    with found.file.open("rb") as handle:
        text = filecheck.extract_text(handle, content_type=found.content_type)
    EntryFile.objects.filter(pk=file_id).update(extracted_text=text)


# --- rules ------------------------------------------------------------------------------


def entry_problems(*, entry: Entry, at: dt.datetime | None = None) -> dict[str, list[Problem]]:
    """Every rule an entry must satisfy to be submitted, by wizard step. Empty: ready."""
    authors = list(entry.authors.all())
    entry_files = list(entry.files.all())
    paper = entry.entered_by_staff_id is not None
    found: dict[str, list[Problem]] = {
        "authors": _author_problems(entry, authors),
        "category": _category_problems(entry),
        "idea": _idea_problems(entry, paper=paper),
        "files": _file_problems(entry, entry_files, paper=paper),
        "unit": _unit_problems(entry, authors, at=at),
        "declaration": _declaration_problems(entry),
    }
    return {step: problems for step, problems in found.items() if problems}


def _author_problems(entry: Entry, authors: list[Author]) -> list[Problem]:
    problems: list[Problem] = []
    if not authors:
        return [Problem(None, _("Cần khai báo ít nhất một tác giả."))]
    for number, author in enumerate(authors, start=1):
        who = author.full_name or _("Tác giả thứ %(n)d") % {"n": number}
        if not author.full_name:
            problems.append(Problem(None, _("Tác giả thứ %(n)d: thiếu họ và tên.") % {"n": number}))
        if not author.job_title:
            problems.append(
                Problem(None, _("%(who)s: thiếu chức vụ (hoặc nghề nghiệp).") % {"who": who})
            )
        if not author.workplace and not author.address:
            problems.append(
                Problem(None, _("%(who)s: cần ghi đơn vị công tác hoặc địa chỉ.") % {"who": who})
            )
    if entry.kind == EntryKind.INDIVIDUAL:
        if len(authors) > 1:
            problems.append(
                Problem(
                    "kind",
                    _(
                        "Bài dự thi cá nhân chỉ có một tác giả. "
                        "Nếu có từ 02 người trở lên, hãy chọn "
                        "“Nhóm tác giả”."
                    ),
                )
            )
        elif not (authors[0].address and authors[0].phone):
            problems.append(
                Problem(None, _("Cần ghi địa chỉ và số điện thoại liên lạc của tác giả."))
            )
    else:
        if len(authors) < 2:
            problems.append(
                Problem(
                    "kind",
                    _(
                        "Nhóm tác giả phải có từ 02 người trở lên. Hãy thêm tác giả, hoặc chọn "
                        "“Cá nhân” nếu chỉ có một người."
                    ),
                )
            )
        representatives = [a for a in authors if a.is_representative]
        if len(representatives) != 1:
            problems.append(Problem(None, _("Nhóm tác giả phải chọn đúng một người đại diện.")))
        elif not (representatives[0].address and representatives[0].phone):
            problems.append(
                Problem(
                    None,
                    _("Người đại diện (%(name)s) phải có địa chỉ và số điện thoại liên lạc.")
                    % {"name": representatives[0].full_name or _("chưa có tên")},
                )
            )
    problems.extend(_excluded_author_problems(entry, authors))
    return problems


def _excluded_author_problems(entry: Entry, authors: list[Author]) -> list[Problem]:
    members = list(CommitteeMember.objects.filter(contest_id=entry.contest_id))
    if not members:
        return []
    by_user = {m.user_id: m for m in members if m.user_id}
    by_email = {m.email.strip().casefold(): m for m in members if m.email.strip()}
    by_phone = {phone_key(m.phone): m for m in members if phone_key(m.phone)}
    problems = []
    for author in authors:
        member = (
            (by_user.get(author.user_id) if author.user_id else None)
            or by_email.get(author.email.strip().casefold())
            or by_phone.get(author.phone_key or phone_key(author.phone))
        )
        if member is not None:
            problems.append(
                Problem(
                    None,
                    _(
                        "%(name)s là thành viên %(body)s của cuộc thi nên không được dự thi (kể cả "
                        "tham gia trong nhóm tác giả)."
                    )
                    % {
                        "name": author.full_name or member.full_name,
                        "body": member.get_body_display(),
                    },
                )
            )
    return problems


def _category_problems(entry: Entry) -> list[Problem]:
    if entry.category_id is None:
        return [Problem("category", _("Chọn một lĩnh vực dự thi."))]
    if entry.category.contest_id != entry.contest_id:
        return [Problem("category", _("Lĩnh vực không hợp lệ; vui lòng chọn trong danh sách."))]
    return []


def _idea_problems(entry: Entry, *, paper: bool) -> list[Problem]:
    required = ("title",) if paper else IDEA_REQUIRED
    return [
        Problem(
            name, _("Cần nhập “%(label)s”.") % {"label": Entry._meta.get_field(name).verbose_name}
        )
        for name in required
        if not getattr(entry, name).strip()
    ]


def _file_problems(entry: Entry, entry_files: list[EntryFile], *, paper: bool) -> list[Problem]:
    problems: list[Problem] = []
    purposes = {f.purpose for f in entry_files}
    attachment_kinds = {f.kind for f in entry_files if f.purpose == FilePurpose.ATTACHMENT}
    has_written = bool(purposes & {FilePurpose.MAIN, FilePurpose.SCAN})
    if paper and FilePurpose.SCAN not in purposes:
        problems.append(Problem("scan", _("Cần tải lên bản quét bài dự thi nộp giấy.")))
    elif entry.form == EntryForm.WRITTEN and not has_written:
        problems.append(
            Problem(
                "main_document", _("Cần tải lên tài liệu chính của bài viết (Word .docx hoặc PDF).")
            )
        )
    if entry.form == EntryForm.VIDEO and filecheck.VIDEO not in attachment_kinds and not paper:
        problems.append(
            Problem(
                "attachments",
                _("Bài dự thi dạng video cần tải lên tệp video ở mục tài liệu kèm theo."),
            )
        )
    needs_text = entry.form == EntryForm.VIDEO or bool(
        attachment_kinds & {filecheck.IMAGE, filecheck.VIDEO, filecheck.ARCHIVE}
    )
    if needs_text and not has_written and FilePurpose.CONTENT_TEXT not in purposes:
        problems.append(
            Problem(
                "content_text",
                _(
                    "Bài dự thi dạng video, hình ảnh, phần mềm phải kèm bản viết nội dung, ý tưởng "
                    "(Word .docx hoặc PDF)."
                ),
            )
        )
    if entry.competed_before:
        if not entry.previous_contest_name.strip():
            problems.append(
                Problem(
                    "previous_contest_name",
                    _("Bài đã dự thi cuộc thi khác: cần ghi rõ tên cuộc thi đã tham dự."),
                )
            )
        if not entry.revision_explanation.strip() and FilePurpose.REVISION not in purposes:
            problems.append(
                Problem(
                    "revision_explanation",
                    _(
                        "Bài đã dự thi cuộc thi khác: cần giải trình "
                        "nội dung đã chỉnh sửa, hoàn thiện "
                        "(nhập nội dung hoặc tải lên văn bản giải trình)."
                    ),
                )
            )
    return problems


def _unit_problems(entry: Entry, authors: list[Author], *, at) -> list[Problem]:
    problems: list[Problem] = []
    unit = entry.unit
    if unit is None:
        problems.append(Problem("unit", _("Chọn một đầu mối tiếp nhận.")))
    elif unit.contest_id != entry.contest_id or not unit.is_active:
        problems.append(
            Problem("unit", _("Đầu mối tiếp nhận không hợp lệ; vui lòng chọn trong danh sách."))
        )
    elif entry.status == EntryStatus.DRAFT:
        deadline = unit_intake_deadline(unit)
        now = at or timezone.now()
        if not deadline_is_open(deadline=deadline, at=now):
            problems.append(
                Problem(
                    "unit",
                    _(
                        "Đã hết hạn nhận bài của %(unit)s. Hạn nộp là %(deadline)s (giờ Việt "
                        "Nam); bài phải được gửi trước thời điểm này."
                    )
                    % {"unit": unit.name, "deadline": instant(deadline)},
                )
            )
        elif now < entry.contest.intake_opens_at:
            problems.append(
                Problem(
                    "unit",
                    _("Cuộc thi chưa bắt đầu nhận bài (từ %(at)s).")
                    % {"at": instant(entry.contest.intake_opens_at)},
                )
            )
    duplicate = _duplicate_of(entry, authors)
    if duplicate is not None:
        problems.append(
            Problem(
                "unit",
                _(
                    "Các tác giả này đã gửi bài “%(title)s” (mã %(code)s) cho %(unit)s. "
                    "Mỗi bài dự thi "
                    "chỉ được gửi cho một đầu mối tiếp nhận."
                )
                % {
                    "title": duplicate.title,
                    "code": duplicate.tracking_code,
                    "unit": duplicate.unit.name if duplicate.unit_id else "?",
                },
            )
        )
    return problems


def _duplicate_of(entry: Entry, authors: list[Author]) -> Entry | None:
    """Another active entry of the same authors with the same or nearly the same title."""
    names = {a.name_key or text_key(a.full_name) for a in authors} - {""}
    title = entry.title_key or text_key(entry.title)
    if not names or not title:
        return None
    candidates = (
        Entry.objects.filter(
            contest_id=entry.contest_id, status__in=ACTIVE, authors__name_key__in=names
        )
        .exclude(pk=entry.pk)
        .distinct()
        .select_related("unit")
        .prefetch_related("authors")
        .order_by("submitted_at", "pk")
    )
    for other in candidates:
        other_names = {a.name_key for a in other.authors.all()}
        if other_names == names and titles_similar(other.title_key, title):
            return other
    return None


def _declaration_problems(entry: Entry) -> list[Problem]:
    problems = []
    if not entry.declaration_accepted:
        problems.append(
            Problem("declaration_accepted", _("Cần xác nhận cam kết đủ điều kiện dự thi."))
        )
    if not entry.consent_accepted:
        problems.append(
            Problem("consent_accepted", _("Cần đồng ý cho UBND tỉnh sử dụng bài dự thi."))
        )
    return problems


# --- submission -------------------------------------------------------------------------


def tracking_code_new(*, contest: Contest) -> str:
    """CC25-7K3M-9QXH: the contest's year and eight characters that cannot be misread."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"CC{contest.year % 100:02d}-{body[:4]}-{body[4:]}"


def entry_submit(*, entry: Entry, by, at: dt.datetime | None = None) -> Entry:
    """Submit a complete draft: it gets a tracking code and goes to its unit. A second
    call (a double click) finds it already submitted and returns it unchanged."""
    at = at or timezone.now()
    attempts = 5
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                locked = (
                    Entry.objects.select_for_update(of=("self",))
                    .select_related("contest", "unit__contest", "category")
                    .get(pk=entry.pk)
                )
                if locked.status != EntryStatus.DRAFT:
                    if by.pk in (locked.owner_id, locked.entered_by_staff_id):
                        return locked
                    raise PermissionDenied
                if not _may_edit(locked, by):
                    raise PermissionDenied
                problems = entry_problems(entry=locked, at=at)
                if problems:
                    raise EntryNotReady(problems)
                fields = {
                    "tracking_code": tracking_code_new(contest=locked.contest),
                    "submitted_at": at,
                    "holder": locked.unit,
                }
                entry_transition(
                    entry=locked,
                    to=EntryStatus.SUBMITTED,
                    by=by,
                    fields=fields,
                    data={"unit": locked.unit_id},
                    then=lambda e: receipt_queue(e.pk),
                )
                return locked
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def receipt_queue(entry_id: int) -> None:
    """Queue the receipt e-mail (in the caller's transaction, through the outbox)."""
    from .tasks import task_send_receipt

    outbox_enqueue(task_send_receipt, entry_id=entry_id)


def entry_withdraw(*, entry: Entry, by, reason: str = "") -> Entry:
    return entry_transition(entry=entry, to=EntryStatus.WITHDRAWN, by=by, reason=reason)


def entry_send_receipt(*, entry_id: int) -> bool:
    """Mail the receipt to the representative (or the account owner), with the receipt PDF
    attached. Sent once."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    from .receipt import receipt_pdf

    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("owner", "contest", "unit", "category")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None or entry.receipt_sent_at is not None or entry.tracking_code is None:
            return False
        authors = list(entry.authors.all())
        representative = next((a for a in authors if a.is_representative), None)
        recipient = (
            representative.email
            if representative and representative.email
            else (entry.owner.email if entry.owner_id else "")
        )
        if not recipient:
            return False
        context = {
            "entry": entry,
            "authors": authors,
            "files": list(entry.files.all()),
            "site_url": settings.PORTAL_SITE_URL,
        }
        message = EmailMessage(
            subject=_("Biên nhận bài dự thi %(code)s") % {"code": entry.tracking_code},
            body=render_to_string("submissions/email/receipt.txt", context),
            to=[recipient],
        )
        message.attach(
            f"bien-nhan-{entry.tracking_code}.pdf", receipt_pdf(entry=entry), "application/pdf"
        )
        message.send()
        entry.receipt_sent_at = timezone.now()
        entry.save(update_fields=["receipt_sent_at"])
    return True


# --- paper entries ----------------------------------------------------------------------


def entry_start_paper(*, unit: Unit, by) -> Entry:
    """A draft registered by unit staff for an entry received on paper or through iOffice."""
    if not by.has_perm("contest.register_paper_entry", unit):
        raise PermissionDenied
    with transaction.atomic():
        entry = Entry.objects.create(
            contest_id=unit.contest_id,
            unit=unit,
            holder=unit,
            entered_by_staff=by,
            received_via=RECEIVED_PAPER,
            wizard_step=STEP_KEYS[0],
        )
        event_record(
            target=entry,
            action="paper_draft_created",
            actor=by,
            to_state=entry.status,
            contest=unit.contest,
        )
    return entry


def entry_save_paper(
    *,
    entry: Entry,
    by,
    kind: str,
    authors: list[AuthorData],
    category_id: int | None,
    title: str,
    summary: str,
    form: str,
    competed_before: bool,
    previous_contest_name: str,
    revision_explanation: str,
    received_via: str,
    paper_reference: str,
    declaration_accepted: bool,
) -> Entry:
    """Save everything staff typed from the paper entry, in one go."""
    if received_via not in (RECEIVED_PAPER, RECEIVED_IOFFICE):
        raise ValidationError(_("Hình thức nhận bài không hợp lệ."))
    entry_save_authors(entry=entry, by=by, kind=kind, authors=authors)
    entry_save_category(entry=entry, by=by, category_id=category_id)
    entry_save_idea(entry=entry, by=by, title=title, summary=summary)
    entry_save_form(
        entry=entry,
        by=by,
        form=form,
        competed_before=competed_before,
        previous_contest_name=previous_contest_name,
        revision_explanation=revision_explanation,
    )
    with _editing(entry, by, "declaration") as locked:
        locked.received_via = received_via
        locked.paper_reference = _clean(paper_reference)
        locked.declaration_accepted = declaration_accepted
        locked.consent_accepted = declaration_accepted
        locked.save(
            update_fields=[
                "received_via",
                "paper_reference",
                "declaration_accepted",
                "consent_accepted",
                "updated_at",
            ]
        )
    return entry
