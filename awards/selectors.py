"""Reads of the awards app: proposal, results, certificates, annex rows, statistics."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, prefetch_related_objects
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Contest, PrizeTier
from contest.selectors import prize_table
from contest.totals import cached_totals
from submissions.enums import EntryKind, EntryStatus
from submissions.models import Author, Entry

from .allocation import approved_rankings, plan_contest
from .enums import AwardSetStatus, CertificateStatus
from .models import Award, AwardSet, Certificate
from .money import format_vnd


def contest_for_organizer(*, user, contest_id: int, perm: str = "contest.manage_awards"):
    """The contest, if this user may act on its awards; 404 for missing and not yours."""
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None or not user.has_perm(perm, contest):
        raise Http404
    return contest


def organizer_contests(*, user) -> list[Contest]:
    from contest.selectors import roles_of

    ids = roles_of(user).contests("organizer") | roles_of(user).contests("secretariat")
    return list(Contest.objects.filter(pk__in=ids).order_by("-year"))


def award_set_of(*, contest: Contest) -> AwardSet | None:
    return AwardSet.objects.filter(contest=contest).first()


def _awards_qs():
    return Award.objects.select_related("tier", "entry__unit", "entry__category").prefetch_related(
        Prefetch("entry__authors", queryset=Author.objects.order_by("position"))
    )


@dataclass
class ProposalView:
    award_set: AwardSet | None
    awards: dict[str, list[Award]]
    ties: list
    total: int
    fund: int
    decisions: dict
    # The approved rankings by kind (judging.Ranking: id, kind, approved_at).
    rankings: dict
    # The authors' names of each awarded entry, in order, by entry id.
    author_names: dict[int, list[str]]


def _proposal_awards(*, award_set: AwardSet) -> list[Award]:
    """The set's awards with only what the dashboard shows of them (an entry's content fields
    are large)."""
    return list(
        Award.objects.filter(award_set=award_set)
        .select_related("tier", "entry")
        .only(
            "award_set_id",
            "kind",
            "slot",
            "amount",
            "score",
            "ranking_position",
            "tie_pending",
            "change_reason",
            "tier__name",
            "tier__rank",
            "tier__individual_count",
            "tier__group_count",
            "entry__tracking_code",
            "entry__title",
        )
        .order_by("kind", "tier__rank", "slot")
    )


def _author_names(*, entry_ids) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        Author.objects.filter(entry_id__in=entry_ids)
        .order_by("entry_id", "position")
        .values_list("entry_id", "full_name")
    )
    for entry_id, name in rows:
        names.setdefault(entry_id, []).append(name)
    return names


def proposal(*, contest: Contest) -> ProposalView:
    # The prize table and the plan both read the tiers: once, in rank order.
    prefetch_related_objects(
        [contest], Prefetch("prize_tiers", queryset=PrizeTier.objects.order_by("rank"))
    )
    award_set = award_set_of(contest=contest)
    fund = prize_table(contest=contest).total
    if award_set is None:
        return ProposalView(None, {}, [], 0, fund, {}, approved_rankings(contest=contest), {})
    awards = _proposal_awards(award_set=award_set)
    by_kind = {kind: [a for a in awards if a.kind == kind] for kind in EntryKind.values}
    from .services import award_settings_for

    decisions = {(d.kind, d.tie_key): d for d in award_set.tie_decisions.all()}
    rankings = approved_rankings(contest=contest)
    plans = plan_contest(
        contest=contest,
        minimum_score=award_settings_for(contest=contest).minimum_score,
        decisions={k: list(d.ordered_entry_ids) for k, d in decisions.items()},
        rankings=rankings,
    )
    ties = [t for p in plans for t in p.ties]
    for tie in ties:
        tie.decision = decisions.get((tie.kind, tie.key))
    return ProposalView(
        award_set=award_set,
        awards=by_kind,
        ties=ties,
        total=sum(a.amount for a in awards if a.entry_id),
        fund=fund,
        decisions=decisions,
        rankings=rankings,
        author_names=_author_names(entry_ids=[a.entry_id for a in awards if a.entry_id]),
    )


# An award may be moved to any of this many entries ranked after the last award of its
# kind (and to any above): the organizer's list stays short in a national contest.
CHANGE_CANDIDATES_AFTER_AWARDS = 50


def ranked_entries(
    *, contest: Contest, kind: str, rankings: dict | None = None, award_count: int | None = None
) -> list:
    """The entries an award of this kind may be given to by hand: the approved ranking's
    first rows (entry_id, position, score, tracking_code, title), as many as the contest's
    awards of this kind plus CHANGE_CANDIDATES_AFTER_AWARDS, in position order.
    `rankings` (approved_rankings) and `award_count` when the caller knows them already."""
    from judging.models import RankingRow

    ranking = (rankings if rankings is not None else approved_rankings(contest=contest)).get(kind)
    if ranking is None:
        return []
    if award_count is None:
        award_count = Award.objects.filter(award_set__contest=contest, kind=kind).count()
    return list(
        RankingRow.objects.filter(ranking_id=ranking.pk)
        .annotate(tracking_code=F("entry__tracking_code"), title=F("entry__title"))
        .order_by("position", "id")
        .values_list("entry_id", "position", "score", "tracking_code", "title", named=True)[
            : award_count + CHANGE_CANDIDATES_AFTER_AWARDS
        ]
    )


def ranked_counts(*, rankings: dict) -> dict[str, int]:
    """The number of rows of each kind's approved ranking (0 without one), by kind: the
    ranking page's counts (judging.selectors.ranking_counts, kept per computation)."""
    from judging.selectors import ranking_counts

    return {
        kind: ranking_counts(ranking=rankings[kind]).rows if kind in rankings else 0
        for kind in EntryKind.values
    }


def published_results(*, contest: Contest) -> dict | None:
    """Only once published; before that nothing about the results leaves this function."""
    award_set = AwardSet.objects.filter(contest=contest, status=AwardSetStatus.PUBLISHED).first()
    if award_set is None:
        return None
    awards = list(
        _awards_qs()
        .filter(award_set=award_set, entry__isnull=False)
        .order_by("tier__rank", "-kind", "slot")
    )
    tiers: list[dict] = []
    for award in awards:
        if not tiers or tiers[-1]["tier"].pk != award.tier_id:
            tiers.append({"tier": award.tier, "individual": [], "group": []})
        tiers[-1][award.kind].append(award)
    return {"award_set": award_set, "tiers": tiers}


def certificate_for_verification(*, number: str) -> Certificate | None:
    """The certificate with this number if its results are published; None otherwise (an
    unknown number and an unpublished one look the same)."""
    return (
        Certificate.objects.select_related(
            "award__tier", "award__entry__unit", "award__award_set__contest"
        )
        .filter(number=number, award__award_set__status=AwardSetStatus.PUBLISHED)
        .first()
    )


def certificates_of(*, award_set: AwardSet):
    return (
        Certificate.objects.filter(award__award_set=award_set)
        .select_related("award__tier", "award__entry")
        .order_by("kind", "sequence")
    )


def certificates_listed(*, award_set: AwardSet) -> list[Certificate]:
    """The dashboard's table of certificates: certificates_of with only what it shows."""
    return list(
        certificates_of(award_set=award_set)
        .select_related(None)
        .select_related("award__tier")
        .only("number", "kind", "recipient_name", "status", "pdf", "award__tier__name")
    )


def certificates_progress(*, award_set: AwardSet | None, certificates=None) -> dict:
    """Counts by status; from `certificates` (every certificate of the set, as the dashboard
    lists them anyway) when given, else counted in the database."""
    if award_set is None:
        return {"total": 0, "rendered": 0, "failed": 0, "pending": 0, "done": True}
    if certificates is not None:
        counts: dict[str, int] = {}
        for certificate in certificates:
            counts[certificate.status] = counts.get(certificate.status, 0) + 1
    else:
        counts = dict(
            Certificate.objects.filter(award__award_set=award_set)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    total = sum(counts.values())
    rendered = counts.get(CertificateStatus.RENDERED, 0)
    failed = counts.get(CertificateStatus.FAILED, 0)
    return {
        "total": total,
        "rendered": rendered,
        "failed": failed,
        "pending": counts.get(CertificateStatus.PENDING, 0),
        "done": total > 0 and rendered + failed == total,
    }


def certificates_merged_pdf(*, award_set: AwardSet, kind: str | None = None) -> bytes:
    from .pdf import merge_pdfs

    qs = Certificate.objects.filter(
        award__award_set=award_set, status=CertificateStatus.RENDERED
    ).order_by("kind", "sequence")
    if kind:
        qs = qs.filter(kind=kind)
    files = []
    try:
        for certificate in qs:
            handle = certificate.pdf.open("rb")
            files.append(handle)
        return merge_pdfs(files)
    finally:
        for handle in files:
            handle.close()


@dataclass
class AnnexRow:
    number: int
    name: str
    members: list[str]
    position: str
    prize: str
    amount: int

    @property
    def amount_vnd(self) -> str:
        return format_vnd(self.amount)


def annex_rows(*, award_set: AwardSet) -> dict:
    awards = list(
        _awards_qs().filter(award_set=award_set, entry__isnull=False).order_by("tier__rank", "slot")
    )
    sections = {}
    for kind in EntryKind.values:
        rows = []
        for award in (a for a in awards if a.kind == kind):
            authors = list(award.entry.authors.all())
            if kind == EntryKind.INDIVIDUAL and authors:
                author = authors[0]
                name = author.full_name
                position = ", ".join(
                    p for p in (author.job_title, author.workplace or author.address) if p
                )
                members: list[str] = []
            else:
                name = award.entry.title
                position = award.entry.unit.name if award.entry.unit_id else ""
                members = [a.full_name for a in authors]
            rows.append(
                AnnexRow(len(rows) + 1, name, members, position, award.tier.name, award.amount)
            )
        total = sum(r.amount for r in rows)
        sections[kind] = {"rows": rows, "total": total, "total_vnd": format_vnd(total)}
    return {
        "individual": sections[EntryKind.INDIVIDUAL],
        "group": sections[EntryKind.GROUP],
        "total": sum(s["total"] for s in sections.values()),
        "count": sum(len(s["rows"]) for s in sections.values()),
    }


# Statistics -------------------------------------------------------------------------------

SUBMITTED_STATES = [s for s in EntryStatus.values if s != EntryStatus.DRAFT]


def _pairs(qs, key: str, labels: dict | None = None) -> list[tuple[str, int]]:
    rows = qs.values(key).annotate(n=Count("id")).order_by("-n", key)
    return [((labels or {}).get(r[key], r[key]) or "—", r["n"]) for r in rows]


# The "by receiving unit" chart names this many units; the rest are one bar (a national
# contest has thousands of units).
REPORT_UNITS_SHOWN = 30


def _top(pairs: list[tuple[str, int]], *, shown: int) -> list[tuple[str, int]]:
    if len(pairs) <= shown + 1:
        return pairs
    rest = pairs[shown:]
    label = _("Các đơn vị khác (%(n)s đơn vị)") % {"n": len(rest)}
    return [*pairs[:shown], (label, sum(n for _label, n in rest))]


def contest_statistics(*, contest: Contest) -> dict:
    from contest.enums import UnitType

    entries = Entry.objects.filter(contest=contest, status__in=SUBMITTED_STATES)
    by_week_rows = (
        entries.exclude(submitted_at__isnull=True)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    by_week = [
        (
            f"{timezone.localtime(r['week']):%d/%m}"
            if isinstance(r["week"], dt.datetime)
            else f"{r['week']:%d/%m}",
            r["n"],
        )
        for r in by_week_rows
    ]
    categories = _pairs(entries, "category__title")
    category_codes = dict(contest.categories.values_list("title", "code"))
    categories = [
        (f"{category_codes.get(t, '')}) {t}" if t in category_codes else t, n)
        for t, n in categories
    ]
    return {
        "total": entries.count(),
        "accepted": entries.filter(status=EntryStatus.ACCEPTED).count(),
        "groups": entries.filter(kind=EntryKind.GROUP).count(),
        "units_with_entries": entries.values("unit").distinct().count(),
        "units_total": contest.units.filter(is_active=True).count(),
        "by_unit": _top(_pairs(entries, "unit__name"), shown=REPORT_UNITS_SHOWN),
        "by_unit_type": _pairs(entries, "unit__unit_type", dict(UnitType.choices)),
        "by_category": categories,
        "by_kind": _pairs(entries, "kind", dict(EntryKind.choices)),
        "by_status": _pairs(entries, "status", dict(EntryStatus.choices)),
        "by_week": by_week,
    }


def contest_statistics_recent(*, contest: Contest) -> dict:
    """The statistics as counted at most PORTAL_TOTALS_CACHE_SECONDS ago (with
    "computed_at"), for the reports page; the PDF report counts afresh."""
    return cached_totals(
        f"awards:statistics:{contest.pk}", lambda: contest_statistics(contest=contest)
    )


def entries_for_export(*, contest: Contest):
    """Every entry that left draft, for the secretariat's workbook, read in chunks."""
    return (
        Entry.objects.filter(contest=contest, status__in=SUBMITTED_STATES)
        .select_related("unit", "category")
        .prefetch_related(Prefetch("authors", queryset=Author.objects.order_by("position")))
        .order_by("tracking_code")
    )


def prize_label_by_entry(*, contest: Contest) -> dict[int, str]:
    award_set = award_set_of(contest=contest)
    if award_set is None or award_set.status == AwardSetStatus.DRAFT:
        return {}
    return {
        a.entry_id: a.tier.name
        for a in award_set.awards.filter(entry__isnull=False).select_related("tier")
    }
