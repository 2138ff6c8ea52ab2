"""Shared by the benches: Django set-up, the machine's description, the key pages of the
bench contest (made by bench/generate.py) and signed-in sessions for them."""

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DB = "postgres://postgres@127.0.0.1:5432/cchc_scale_bench"
SMALL_DB = "postgres://postgres@127.0.0.1:5432/cchc_scale"
SLUG = "bench"


def django_setup(settings: str = "config.settings.dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def machine() -> dict:
    """Cores, memory, CPU model, load average: printed beside every figure."""
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib(pid: int | None = None) -> float:
    """VmHWM: the peak resident memory of a process (this one by default)."""
    path = Path(f"/proc/{pid or 'self'}/status")
    for line in path.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user_id: int | None  # None: anonymous
    method: str = "GET"
    body: dict | None = None


def key_pages() -> list[Page]:
    """The pages the issue names, with the user who sees each one, in the bench contest."""
    from django.db.models import Count

    from contest.models import Contest, RoleAssignment
    from judging.models import Assignment
    from submissions.models import Author, Entry

    contest = Contest.objects.get(slug=SLUG)
    draft = Entry.objects.filter(contest=contest, status="draft").order_by("pk").first()
    busiest = (
        Entry.objects.filter(contest=contest)
        .exclude(status="draft")
        .values("holder_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    staff = RoleAssignment.objects.get(
        contest=contest, role="unit_staff", unit_id=busiest["holder_id"]
    ).user_id
    judge = (
        Assignment.objects.filter(contest=contest).order_by("judge_id").values("judge_id").first()
    )["judge_id"]
    secretariat = RoleAssignment.objects.get(contest=contest, role="secretariat").user_id
    organizer = RoleAssignment.objects.get(contest=contest, role="organizer").user_id
    looked_up = Entry.objects.filter(contest=contest, status="submitted").order_by("pk").first()
    phone = Author.objects.get(entry=looked_up, is_representative=True).phone
    step = f"/bai-du-thi/{draft.pk}/buoc"
    return [
        Page("landing", "/", None),
        Page("results", "/ket-qua/", None),
        Page("lookup_form", "/tra-cuu/", None),
        Page(
            "lookup_answer",
            "/tra-cuu/",
            None,
            "POST",
            {"code": looked_up.tracking_code, "phone_last4": phone[-4:]},
        ),
        Page("wizard_authors", f"{step}/tac-gia/", draft.owner_id),
        Page("wizard_category", f"{step}/linh-vuc/", draft.owner_id),
        Page("wizard_idea", f"{step}/y-tuong/", draft.owner_id),
        Page("wizard_files", f"{step}/tep/", draft.owner_id),
        Page("wizard_unit", f"{step}/don-vi/", draft.owner_id),
        Page("wizard_declaration", f"{step}/cam-ket/", draft.owner_id),
        Page("wizard_review", f"/bai-du-thi/{draft.pk}/xem-lai/", draft.owner_id),
        Page("unit_dashboard", f"/don-vi/{busiest['holder_id']}/", staff),
        Page("unit_dashboard_p40", f"/don-vi/{busiest['holder_id']}/?page=40", staff),
        Page("compliance_board", f"/thu-ky/{contest.pk}/tuan-thu/", secretariat),
        Page("secretariat_intake", f"/thu-ky/{contest.pk}/tiep-nhan/", secretariat),
        Page("judge_queue", f"/cham-thi/{SLUG}/giam-khao/", judge),
        Page("judging_progress", f"/cham-thi/{SLUG}/thu-ky/tien-do/", secretariat),
        Page("judging_assignments", f"/cham-thi/{SLUG}/thu-ky/phan-cong/", secretariat),
        Page("judging_conflicts", f"/cham-thi/{SLUG}/thu-ky/xung-dot/", secretariat),
        Page("judge_conflicts", f"/cham-thi/{SLUG}/giam-khao/xung-dot/", judge),
        Page("ranking", f"/cham-thi/{SLUG}/xep-hang/", organizer),
        Page("awards_dashboard", f"/ban-to-chuc/{contest.pk}/giai-thuong/", organizer),
        Page("reports", f"/ban-to-chuc/{contest.pk}/bao-cao/", organizer),
    ]


# Every key page is paginated or bounded now (session 2: the secretariat intake, judging
# progress and ranking pages and the wizard's unit step); kept empty so a page that turns out
# unbounded can be set aside here with a reason.
UNBOUNDED_PAGES: tuple[str, ...] = ()
SLOW_PAGES: tuple[str, ...] = ()


def session_cookie(user_id: int) -> str:
    """A signed-in session for the user (written to the session store like any login)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    return client.cookies["sessionid"].value
