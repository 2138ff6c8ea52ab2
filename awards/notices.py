"""The outcome e-mail to each entrant once results are published (one per entry, ever)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.enums import JUDGEABLE

from .enums import AwardSetStatus
from .models import AwardSet, ResultNotice


def _addresses(entry) -> list[str]:
    addresses = []
    if entry.owner_id and entry.owner.email:
        addresses.append(entry.owner.email)
    for author in entry.authors.all():
        if author.email and (author.is_representative or not addresses):
            addresses.append(author.email)
    return sorted(set(addresses))


def result_notices_send(*, award_set_id: int) -> int:
    from django.conf import settings

    award_set = AwardSet.objects.select_related("contest").filter(pk=award_set_id).first()
    if award_set is None or award_set.status != AwardSetStatus.PUBLISHED:
        return 0
    contest = award_set.contest
    prize_of = {
        a.entry_id: a for a in award_set.awards.filter(entry__isnull=False).select_related("tier")
    }
    already = set(award_set.notices.values_list("entry_id", flat=True))
    entries = (
        contest.entries.filter(status__in=JUDGEABLE)
        .exclude(pk__in=already)
        .select_related("owner")
        .prefetch_related("authors")
        .order_by("pk")
    )
    results_url = settings.PORTAL_SITE_URL.rstrip("/") + reverse("awards:results")
    sent = 0
    for entry in entries:
        addresses = _addresses(entry)
        try:
            with transaction.atomic():
                ResultNotice.objects.create(
                    award_set=award_set,
                    entry=entry,
                    sent_at=timezone.now(),
                    recipients="\n".join(addresses),
                )
        except IntegrityError:
            continue  # another worker sent it
        if not addresses:
            continue
        award = prize_of.get(entry.pk)
        body = render_to_string(
            "awards/email/result.txt",
            {
                "contest": contest,
                "entry": entry,
                "award": award,
                "results_url": results_url,
            },
        )
        subject = (
            _("Chúc mừng: bài dự thi %(code)s đạt %(prize)s")
            % {"code": entry.tracking_code, "prize": award.tier.name.lower()}
            if award
            else _("Kết quả cuộc thi: bài dự thi %(code)s") % {"code": entry.tracking_code}
        )
        send_mail(subject, body, None, addresses)
        sent += 1
    return sent
