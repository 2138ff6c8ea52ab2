"""A small but complete portal for the cross-cutting security tests: a contest with units
(a department, a district and its commune), entrants, entries in several states with real
files, their events, and a superuser who also holds every role, so URL walks reach real
objects instead of stopping at 404."""

import hashlib
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from contest.enums import Role
from contest.models import Contest, Unit
from submissions.models import Entry, EntryFile
from tests.factories import (
    AuthorFactory,
    ContestFactory,
    EntryFactory,
    UnitFactory,
    UserFactory,
    accepted_entry,
    district_with_communes,
    grant,
    submit_entry,
)


@dataclass
class Portal:
    contest: Contest
    department: Unit
    district: Unit
    commune: Unit
    entrant: object
    superuser: object
    entries: list[Entry] = field(default_factory=list)
    files: list[EntryFile] = field(default_factory=list)


def _attach(entry: Entry, *, name: str, data: bytes, purpose: str = "main") -> EntryFile:
    stored = EntryFile(
        entry=entry,
        purpose=purpose,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type="application/pdf",
        uploaded_by=entry.owner,
    )
    stored.file.save(name, ContentFile(data), save=False)
    stored.save()
    return stored


def populated_portal(*, entries: int = 3) -> Portal:
    contest = ContestFactory()
    department = UnitFactory(contest=contest, name="Sở Tư pháp")
    district, (commune, _other) = district_with_communes(contest)
    entrant = UserFactory(email="tac-gia-mau@example.vn")
    superuser = UserFactory(email="sieu-quan-tri@example.vn", is_staff=True, is_superuser=True)
    for role in (Role.SECRETARIAT, Role.ORGANIZER, Role.JUDGE):
        grant(superuser, contest, role)
    for unit in (department, district, commune):
        grant(superuser, contest, Role.UNIT_STAFF, unit)
        grant(superuser, contest, Role.UNIT_HEAD, unit)
    portal = Portal(contest, department, district, commune, entrant, superuser)

    draft = EntryFactory(contest=contest, unit=department, owner=entrant, title="Bản nháp")
    AuthorFactory(entry=draft, full_name="Hoàng Thị Nháp")
    portal.entries.append(draft)
    for i in range(entries):
        unit = (department, district, commune)[i % 3]
        entry = EntryFactory(
            contest=contest, unit=unit, owner=entrant, title=f"Một cửa số hóa cấp xã {i}"
        )
        AuthorFactory(entry=entry, full_name=f"Lê Văn Tác Giả {i}")
        portal.files.append(
            _attach(entry, name=f"bai-du-thi-{i}.pdf", data=f"%PDF-1.4 bài {i} ".encode() * 50)
        )
        portal.entries.append(submit_entry(entry))
    accepted = accepted_entry(contest, unit=department, title="Giải pháp đã tiếp nhận")
    portal.files.append(_attach(accepted, name="da-tiep-nhan.pdf", data=b"%PDF-1.4 accepted"))
    portal.entries.append(accepted)
    get_user_model().objects.filter(pk=superuser.pk).update(full_name="Quản trị kiểm thử")
    for user in (entrant, superuser):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return portal
