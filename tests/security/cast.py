"""The fixed cast of the security suite and the data they own.

One contest in its judging phase (c1) with two departments (A, B), a district (D) and one
of its communes (K); a second contest (c2) nobody of the cast works for. Two entrants own
entries in every interesting state; every entry, file, batch, letter, sheet and certificate
is registered under a short label so tests can say "who may reach what" as data.

Every entry's title carries a marker "TT-<label>" and every author name and unit name a
blind-judging canary "CANARY-<hex>" (judges must never see those)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from contest.enums import ContestPhase, Role, UnitType
from contest.models import Unit
from submissions.enums import EntryKind, EntryStatus, FilePurpose
from submissions.models import (
    Author,
    Entry,
    EntryFile,
    ExplanationLetter,
    ForwardingBatch,
)
from tests.factories import ContestFactory, UnitFactory, UserFactory, grant

# The members of the cast, in the order reports list them.
MEMBERS = (
    "anonymous",
    "entrant1",
    "entrant2",
    "staff_a",
    "head_a",
    "staff_b",
    "head_b",
    "commune_staff",
    "district_staff",
    "judge1",
    "judge2",
    "judge_conflicted",
    "secretariat",
    "organizer",
)


def _tiny_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TINY_PDF = _tiny_pdf()


@dataclass
class Cast:
    users: dict[str, object] = field(default_factory=dict)
    # label -> (model instance); labels are unique across kinds.
    objects: dict[str, object] = field(default_factory=dict)
    # canary strings planted in author and unit names, by label
    canaries: dict[str, str] = field(default_factory=dict)

    def user(self, member: str):
        return self.users.get(member)

    def pk(self, label: str) -> int:
        return self.objects[label].pk


def _canary(label: str) -> str:
    import hashlib

    return "CANARY-" + hashlib.sha256(label.encode()).hexdigest()[:6]


def _entry(
    cast: Cast,
    label: str,
    *,
    contest,
    owner,
    unit,
    holder,
    status,
    category,
    kind=EntryKind.INDIVIDUAL,
    batch=None,
    code=None,
) -> Entry:
    canary = _canary(f"author-{label}")
    cast.canaries[f"author-{label}"] = canary
    entry = Entry.objects.create(
        contest=contest,
        owner=owner,
        unit=unit,
        holder=holder,
        status=status,
        category=category,
        kind=kind,
        tracking_code=code,
        title=f"Đề tài TT-{label} số hóa một cửa",
        summary=f"Tóm tắt của TT-{label}.",
        solution="Nội dung giải pháp.",
        submitted_at=None if status == EntryStatus.DRAFT else timezone.now(),
        forwarding_batch=batch,
        declaration_accepted=True,
        consent_accepted=True,
    )
    Author.objects.create(
        entry=entry,
        position=1,
        full_name=f"Tác Giả {canary}",
        job_title=f"Chuyên viên {canary}",
        workplace=f"Phòng {canary}",
        address=f"Số 1 đường {canary}",
        phone="0912345678",
        email=f"{canary.lower()}@example.vn",
        is_representative=True,
        user=owner,
    )
    cast.objects[label] = entry
    return entry


def _file(cast: Cast, label: str, entry: Entry, *, purpose=FilePurpose.MAIN) -> EntryFile:
    found = EntryFile(
        entry=entry,
        purpose=purpose,
        original_name=f"tep-{label}.pdf",
        size=len(TINY_PDF),
        sha256="0" * 64,
        content_type="application/pdf",
        kind="document",
        extracted_text=f"Văn bản của TT-{entry.title}",
    )
    found.file.save(f"{label}.pdf", ContentFile(TINY_PDF), save=False)
    found.save()
    cast.objects[label] = found
    return found


def cast_build() -> Cast:
    """Build the whole cast and its objects (about 40 rows)."""
    from awards.enums import AwardSetStatus, CertificateKind, CertificateStatus
    from awards.models import Award, AwardSet, Certificate
    from judging.enums import ConflictReason
    from judging.models import Assignment, Conflict, JudgeProfile, Panel, ScoreSheet

    cast = Cast()
    now = timezone.now()
    c1 = ContestFactory(
        slug="cuoc-thi-c1",
        phase=ContestPhase.JUDGING,
        intake_opens_at=now - dt.timedelta(days=90),
        forwarding_deadline=now - dt.timedelta(days=10),
        scoring_deadline=now + dt.timedelta(days=20),
        results_deadline=now + dt.timedelta(days=40),
    )
    c2 = ContestFactory(slug="cuoc-thi-c2", phase=ContestPhase.OPEN, year=2026)
    cast.objects |= {"c1": c1, "c2": c2}

    def unit(label, name, unit_type, parent=None):
        canary = _canary(f"unit-{label}")
        cast.canaries[f"unit-{label}"] = canary
        made = UnitFactory(
            contest=c1,
            code=f"u-{label}",
            name=f"{name} {canary}",
            unit_type=unit_type,
            parent=parent,
        )
        cast.objects[label] = made
        return made

    unit_a = unit("A", "Sở Tư pháp", UnitType.DEPARTMENT)
    unit_b = unit("B", "Sở Y tế", UnitType.DEPARTMENT)
    unit_d = unit("D", "UBND huyện Cao Lộc", UnitType.DISTRICT)
    unit_k = unit("K", "UBND xã Hợp Thành", UnitType.COMMUNE, parent=unit_d)
    unit("X", "Sở của cuộc thi khác", UnitType.DEPARTMENT)
    Unit.objects.filter(pk=cast.pk("X")).update(contest=c2)

    users = {
        m: UserFactory(email=f"{m}@example.vn", full_name=f"Thành viên {m}")
        for m in MEMBERS
        if m != "anonymous"
    }
    users["anonymous"] = None
    cast.users = users
    grant(users["staff_a"], c1, Role.UNIT_STAFF, unit_a)
    grant(users["head_a"], c1, Role.UNIT_HEAD, unit_a)
    grant(users["staff_b"], c1, Role.UNIT_STAFF, unit_b)
    grant(users["head_b"], c1, Role.UNIT_HEAD, unit_b)
    grant(users["commune_staff"], c1, Role.UNIT_STAFF, unit_k)
    grant(users["district_staff"], c1, Role.UNIT_STAFF, unit_d)
    for judge in ("judge1", "judge2", "judge_conflicted"):
        grant(users[judge], c1, Role.JUDGE)
        JudgeProfile.objects.create(contest=c1, user=users[judge])
    grant(users["secretariat"], c1, Role.SECRETARIAT)
    grant(users["organizer"], c1, Role.ORGANIZER)

    cat_a, cat_b = list(c1.categories.order_by("position")[:2])
    batch_a = ForwardingBatch.objects.create(
        contest=c1,
        unit=unit_a,
        channel="ioffice",
        dispatch_number="12/CV-STP",
        dispatch_date=now.date(),
        created_by=users["staff_a"],
        forwarded_at=now,
    )
    batch_b = ForwardingBatch.objects.create(
        contest=c1,
        unit=unit_b,
        channel="post",
        dispatch_number="34/CV-SYT",
        dispatch_date=now.date(),
        created_by=users["staff_b"],
        forwarded_at=now,
    )
    cast.objects |= {"bA": batch_a, "bB": batch_b}

    e1 = users["entrant1"]
    e2 = users["entrant2"]
    _entry(
        cast,
        "e1d",
        contest=c1,
        owner=e1,
        unit=unit_a,
        holder=None,
        status=EntryStatus.DRAFT,
        category=cat_a,
    )
    e1s = _entry(
        cast,
        "e1s",
        contest=c1,
        owner=e1,
        unit=unit_a,
        holder=unit_a,
        status=EntryStatus.SUBMITTED,
        category=cat_a,
        code="CC25-E1S",
    )
    e1a = _entry(
        cast,
        "e1a",
        contest=c1,
        owner=e1,
        unit=unit_a,
        holder=unit_a,
        status=EntryStatus.ACCEPTED,
        category=cat_a,
        code="CC25-E1A",
        batch=batch_a,
    )
    e2s = _entry(
        cast,
        "e2s",
        contest=c1,
        owner=e2,
        unit=unit_k,
        holder=unit_d,
        status=EntryStatus.PASSED_UP,
        category=cat_b,
        code="CC25-E2S",
    )
    e2a = _entry(
        cast,
        "e2a",
        contest=c1,
        owner=e2,
        unit=unit_b,
        holder=unit_b,
        status=EntryStatus.ACCEPTED,
        category=cat_b,
        code="CC25-E2A",
        batch=batch_b,
        kind=EntryKind.GROUP,
    )
    for label, entry in (("f1s", e1s), ("f1a", e1a), ("f2s", e2s), ("f2a", e2a)):
        _file(cast, label, entry)

    for label, unit_, by in (("lA", unit_a, "staff_a"), ("lD", unit_d, "district_staff")):
        letter = ExplanationLetter(
            contest=c1,
            unit=unit_,
            reason="Chưa đủ số bài.",
            original_name=f"giai-trinh-{label}.pdf",
            filed_by=users[by],
            at=now,
        )
        letter.document.save(f"{label}.pdf", ContentFile(TINY_PDF), save=False)
        letter.save()
        cast.objects[label] = letter

    panel1 = Panel.objects.create(contest=c1, name="Tiểu ban 1")
    panel1.categories.add(cat_a)
    panel1.judges.add(users["judge1"], users["judge_conflicted"])
    panel2 = Panel.objects.create(contest=c1, name="Tiểu ban 2")
    panel2.categories.add(cat_b)
    panel2.judges.add(users["judge2"])
    Assignment.objects.create(contest=c1, entry=e1a, judge=users["judge1"])
    Assignment.objects.create(contest=c1, entry=e2a, judge=users["judge2"])
    Conflict.objects.create(
        contest=c1,
        judge=users["judge_conflicted"],
        entry=e1a,
        reason=ConflictReason.COLLEAGUE,
        declared_by=users["judge_conflicted"],
    )
    cast.objects["s1"] = ScoreSheet.objects.create(
        contest=c1, entry=e1a, judge=users["judge1"], total=Decimal("0")
    )
    cast.objects["s2"] = ScoreSheet.objects.create(
        contest=c1, entry=e2a, judge=users["judge2"], total=Decimal("0")
    )

    award_set = AwardSet.objects.create(contest=c1, status=AwardSetStatus.DRAFT)
    tier = c1.prize_tiers.order_by("rank").first()
    award = Award.objects.create(
        award_set=award_set,
        kind=EntryKind.INDIVIDUAL,
        tier=tier,
        slot=1,
        entry=e1a,
        amount=tier.individual_amount,
    )
    certificate = Certificate(
        award=award,
        kind=CertificateKind.MERIT,
        recipient_key="group",
        number="BK-2025-0001",
        sequence=1,
        recipient_name=e1a.authors.first().full_name,
        status=CertificateStatus.RENDERED,
        rendered_at=now,
    )
    certificate.pdf.save("BK-2025-0001.pdf", ContentFile(TINY_PDF), save=False)
    certificate.save()
    cast.objects |= {"aw1": award, "cert1": certificate}
    return cast
