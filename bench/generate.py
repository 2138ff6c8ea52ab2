"""Generate a realistic contest of a given size on PostgreSQL, with COPY (bulk inserts).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_scale_bench \\
        .venv/bin/python bench/generate.py --entries 100000 --units 5000 --judges 500

What it makes, in one new contest (slug `bench`, phase open, the current contest):
- units across departments, districts, communes (under the districts), organisations and
  central agencies, one staff account and one head account per unit;
- entrants (one account each) and their entries: individual (85 %) or group (2–4 authors),
  in every state of an entry's life (most accepted, so judging has work), each with a main
  file's metadata row and its extracted text in Vietnamese (realistic length, from a word
  list with diacritics), a few near-copies of others for the duplicate detection;
- a jury (judges with profiles), 5 judges assigned per accepted entry, each with a
  submitted score sheet of every written criterion;
- forwarding batches (one per unit that forwarded) and a `submitted` event per entry;
- a secretariat account and an organizer account.

Files' contents are not written (metadata only): the benches never download them.
Every account's password is `bench-cchc-2026`. Sizes are parameters, so tests and quick
runs can use small ones (`--entries 1000 --units 200 --judges 20`).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

PASSWORD = "bench-cchc-2026"  # noqa: S105 (bench accounts on a throw-away database)
SLUG = "bench"

# Syllables and words of administrative Vietnamese, NFC, with diacritics.
WORDS = (
    "cải cách hành chính thủ tục hồ sơ một cửa liên thông điện tử trực tuyến dịch vụ công "
    "người dân doanh nghiệp cán bộ công chức viên chức ủy ban nhân dân tỉnh huyện xã phường "
    "thị trấn sở ban ngành tiếp nhận giải quyết trả kết quả thời gian rút ngắn giảm chi phí "
    "minh bạch trách nhiệm giải trình số hóa chữ ký số văn bản quản lý điều hành nâng cao "
    "chất lượng hiệu quả hiệu lực ứng dụng công nghệ thông tin phần mềm cơ sở dữ liệu "
    "đất đai xây dựng hộ tịch chứng thực đăng ký kinh doanh đầu tư thuế bảo hiểm xã hội "
    "y tế giáo dục nông nghiệp nông thôn biên giới cửa khẩu du lịch văn hóa an ninh trật tự "
    "mô hình giải pháp sáng kiến ý tưởng đề xuất thực hiện triển khai nhân rộng áp dụng "
    "đánh giá khảo sát mức độ hài lòng phản ánh kiến nghị tổ chức cá nhân thôn bản khu phố "
    "đồng bào dân tộc thiểu số vùng sâu vùng xa Lạng Sơn Cao Lộc Đồng Đăng Hữu Lũng Chi Lăng "
    "Bắc Sơn Bình Gia Văn Quan Lộc Bình Đình Lập Tràng Định Văn Lãng quy trình nội bộ "
    "phân cấp ủy quyền kiểm soát tuân thủ kỷ luật kỷ cương đạo đức công vụ thái độ phục vụ "
    "hướng dẫn tuyên truyền phổ biến pháp luật tập huấn bồi dưỡng kỹ năng nghiệp vụ "
    "được của và các những trong cho với để theo tại trên từ đến khi đã sẽ đang có không "
    "việc này đó nhằm bảo đảm kịp thời chính xác thuận lợi tiết kiệm công khai rõ ràng"
).split()
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Nông Hoàng Vi Chu Lăng Triệu Hà Mã Tô Đinh".split()  # noqa: E501
MIDDLE = "Văn Thị Đức Minh Thu Quốc Xuân Ngọc Thanh Hữu Kim Hải Bảo Anh".split()
GIVEN = "Hoa Mai Lan Hùng Dũng Thắng Sơn Tuấn Hương Hằng Thảo Trang Huyền Linh Nam Long Quân Phương Yến Đạt Khánh Toàn Hải Giang Nhung Thúy".split()  # noqa: E501
JOBS = [
    "Chuyên viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Công chức Văn phòng - Thống kê",
    "Công chức Tư pháp - Hộ tịch",
    "Giáo viên",
    "Viên chức",
    "Kế toán",
    "Cán bộ thôn",
]

STATUS_MIX = [  # (status, share): most entries accepted so judging has 100,000-entry work
    ("accepted", 0.85),
    ("forwarded", 0.04),
    ("submitted", 0.04),
    ("screening", 0.02),
    ("selected", 0.01),
    ("certified", 0.01),
    ("rejected", 0.02),
    ("draft", 0.01),
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _text(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    # Sentences of 12–25 words, first word capitalised.
    out, i = [], 0
    while i < len(words):
        n = rng.randint(12, 25)
        sentence = words[i : i + n]
        out.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + ".")
        i += n
    return " ".join(out)


def _mutate(rng: random.Random, text: str, share: float) -> str:
    """A near-copy: a share of the words replaced."""
    words = text.split(" ")
    for _ in range(int(len(words) * share)):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


class Ids:
    """Explicit primary keys after the current maximum, so COPY can set foreign keys."""

    def __init__(self, cursor, table: str):
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (our names)
        self.next = cursor.fetchone()[0] + 1
        self.table = table

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value

    def finish(self, cursor) -> None:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), %s)",
            [max(self.next - 1, 1)],
        )


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=5_000)
    parser.add_argument("--judges", type=int, default=500)
    parser.add_argument("--judges-per-entry", type=int, default=5)
    parser.add_argument("--criteria", type=int, default=6, help="written criteria at least")
    parser.add_argument("--words", type=int, default=600, help="mean words of extracted text")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from contest.enums import ContestPhase, Role
    from contest.models import Contest, Criterion
    from contest.seed import Deadlines, seed_contest
    from contest.seed_data import NAME, SHORT_NAME
    from submissions.models import Entry

    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate.py needs PostgreSQL (DATABASE_URL=postgres://...)")

    rng = random.Random(args.seed)
    started = time.perf_counter()
    now = timezone.now()
    vn = dt.timezone(dt.timedelta(hours=7))
    today = timezone.localdate()

    def midnight(days: int) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(0, 0), tzinfo=vn)

    # Other contests leave the public pages: the bench contest is the current one.
    Contest.objects.exclude(slug=SLUG).filter(phase=ContestPhase.OPEN).update(
        phase=ContestPhase.ARCHIVED
    )
    contest = seed_contest(
        slug=SLUG,
        year=today.year,
        name=NAME.replace("2025", str(today.year)) + " (dữ liệu đo hiệu năng)",
        short_name=SHORT_NAME.replace("2025", str(today.year)) + " (đo hiệu năng)",
        phase=ContestPhase.OPEN,
        deadlines=Deadlines(midnight(-60), midnight(30), midnight(60), midnight(90)),
        plan_reference="Dữ liệu sinh tự động cho bench/",
    )
    if Entry.objects.filter(contest=contest).exists():
        raise SystemExit("the bench contest already has entries: use a fresh database")
    categories = list(contest.categories.order_by("position").values_list("id", flat=True))
    # The load is 6 criteria per sheet; the 2025 rubric has 5 written ones.
    written = Criterion.objects.filter(contest=contest, round="written")
    while written.count() < args.criteria:
        position = written.count() + 1
        Criterion.objects.create(
            contest=contest,
            round="written",
            position=position,
            title=f"Tiêu chí bổ sung {position} (đo hiệu năng)",
            max_points=10,
        )
    criteria = list(
        Criterion.objects.filter(contest=contest, round="written")
        .order_by("position")
        .values_list("id", "max_points", "weight")
    )
    entry_ct = ContentType.objects.get(app_label="submissions", model="entry").pk
    password = make_password(PASSWORD)
    counts: dict[str, int] = {}

    with transaction.atomic(), connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor: COPY
        user_ids, unit_ids = Ids(cur, "accounts_user"), Ids(cur, "contest_unit")

        # --- units -----------------------------------------------------------------------
        n_units = args.units
        n_dep, n_org, n_cen = max(1, n_units // 125), max(1, n_units // 25), max(1, n_units // 80)
        n_dis = max(1, n_units // 25)
        n_com = max(0, n_units - n_dep - n_org - n_cen - n_dis)
        units: list[tuple] = []  # (id, type, parent)
        for kind, n, label in (
            ("department", n_dep, "Sở"),
            ("district", n_dis, "UBND huyện"),
            ("organisation", n_org, "Hội"),
            ("central", n_cen, "Chi cục"),
        ):
            for i in range(n):
                units.append((unit_ids.take(), kind, None, f"{label} {_name(rng)} {i + 1}"))
        districts = [u[0] for u in units if u[1] == "district"]
        for i in range(n_com):
            parent = districts[i % len(districts)]
            units.append((unit_ids.take(), "commune", parent, f"UBND xã {_name(rng)} {i + 1}"))
        counts["units"] = copy_rows(
            cur,
            "contest_unit",
            ["id", "code", "name", "unit_type", "email", "is_active", "contest_id", "parent_id"],
            (
                (
                    uid,
                    f"bench-{kind}-{uid}",
                    name,
                    kind,
                    f"donvi{uid}@bench.cchc.vn",
                    True,
                    contest.pk,
                    parent,
                )
                for uid, kind, parent, name in units
            ),
        )
        unit_list = [u[0] for u in units]
        receiving = [u[0] for u in units if u[1] != "district"] or unit_list
        parent_of = {u[0]: u[2] for u in units}

        # --- accounts: staff and head per unit, judges, secretariat, organizer, entrants ----
        user_rows, roles = [], []
        staff_of: dict[int, int] = {}
        for uid in unit_list:
            for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
                pk = user_ids.take()
                user_rows.append((pk, f"{role}-{uid}@bench.cchc.vn", _name(rng), "", ""))
                roles.append((role, pk, uid))
                if role == Role.UNIT_STAFF:
                    staff_of[uid] = pk
        judges = []
        for i in range(args.judges):
            pk = user_ids.take()
            user_rows.append((pk, f"judge-{i}@bench.cchc.vn", _name(rng), "", ""))
            roles.append((Role.JUDGE, pk, None))
            judges.append(pk)
        for role in (Role.SECRETARIAT, Role.ORGANIZER):
            pk = user_ids.take()
            user_rows.append((pk, f"{role}@bench.cchc.vn", _name(rng), "", ""))
            roles.append((role, pk, None))
        first_entrant = user_ids.next
        for i in range(args.entries):
            pk = user_ids.take()
            phone = f"09{rng.randrange(10**8):08d}"
            user_rows.append((pk, f"entrant-{i}@bench.cchc.vn", _name(rng), phone, "Lạng Sơn"))
        counts["users"] = copy_rows(
            cur,
            "accounts_user",
            [
                "id",
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "full_name",
                "phone",
                "address",
                "workplace",
                "position",
            ],
            (
                (pk, password, False, False, True, now, email, name, phone, address, "", "")
                for pk, email, name, phone, address in user_rows
            ),
        )
        role_ids = Ids(cur, "contest_roleassignment")
        counts["role_assignments"] = copy_rows(
            cur,
            "contest_roleassignment",
            ["id", "role", "contest_id", "user_id", "unit_id"],
            ((role_ids.take(), role, contest.pk, user, unit) for role, user, unit in roles),
        )
        profile_ids = Ids(cur, "judging_judgeprofile")
        copy_rows(
            cur,
            "judging_judgeprofile",
            ["id", "contest_id", "user_id", "home_unit_id"],
            ((profile_ids.take(), contest.pk, j, rng.choice(unit_list)) for j in judges),
        )
        # Verified addresses, so the benches can sign in through the login form.
        cur.execute(
            'INSERT INTO account_emailaddress (user_id, email, verified, "primary") '
            "SELECT id, email, true, true FROM accounts_user WHERE email LIKE '%%@bench.cchc.vn' "
            "ON CONFLICT DO NOTHING"
        )

        # --- forwarding batches: one per receiving unit --------------------------------------
        batch_ids = Ids(cur, "submissions_forwardingbatch")
        batch_of = {}
        batch_rows = []
        for uid in receiving:
            holder = parent_of.get(uid) or uid
            if holder in batch_of:
                continue
            batch_of[holder] = batch_ids.take()
            batch_rows.append(
                (
                    batch_of[holder],
                    "ioffice",
                    f"{rng.randint(1, 999)}/CV-BENCH",
                    today,
                    now,
                    "",
                    contest.pk,
                    staff_of[holder],
                    holder,
                )
            )
        copy_rows(
            cur,
            "submissions_forwardingbatch",
            [
                "id",
                "channel",
                "dispatch_number",
                "dispatch_date",
                "forwarded_at",
                "cover_letter",
                "contest_id",
                "created_by_id",
                "unit_id",
            ],
            batch_rows,
        )

        # --- entries, authors, files, events -------------------------------------------------
        entry_ids, author_ids = Ids(cur, "submissions_entry"), Ids(cur, "submissions_author")
        file_ids, event_ids = Ids(cur, "submissions_entryfile"), Ids(cur, "contest_event")
        statuses = [s for s, _w in STATUS_MIX]
        weights = [w for _s, w in STATUS_MIX]
        accepted: list[int] = []
        entries, authors, files, events = [], [], [], []
        texts: list[str] = []
        for i in range(args.entries):
            eid = entry_ids.take()
            status = rng.choices(statuses, weights)[0]
            unit = rng.choice(receiving)
            holder = parent_of.get(unit) or unit
            if status in ("submitted", "screening", "draft"):
                holder = unit
            kind = "group" if rng.random() < 0.15 else "individual"
            title = _text(rng, 8, 16).rstrip(".")[:290]
            if texts and rng.random() < 0.01:  # a near-copy of an earlier entry
                body = _mutate(rng, rng.choice(texts[-2000:]), 0.08)
            else:
                body = _text(rng, args.words // 2, args.words * 3 // 2)
            if len(texts) < 4000:
                texts.append(body)
            else:
                texts[i % 4000] = body
            submitted = status != "draft"
            sub_at = (
                now - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 50)) if submitted else None
            )
            code = f"B{contest.year % 100:02d}-{eid:07d}" if submitted else None
            owner = first_entrant + i
            forwarded = status in ("forwarded", "accepted")
            entries.append(
                (
                    eid,
                    kind,
                    status,
                    code,
                    title,
                    _text(rng, 30, 60),
                    _text(rng, 30, 80),
                    _text(rng, 40, 120),
                    _text(rng, 20, 60),
                    _text(rng, 10, 40),
                    "",
                    "written",
                    False,
                    "",
                    "",
                    submitted,
                    submitted,
                    "declaration",
                    1,
                    sub_at,
                    sub_at or now,
                    sub_at or now,
                    rng.choice(categories),
                    contest.pk,
                    None,
                    holder if submitted else None,
                    owner,
                    unit if submitted else None,
                    batch_of.get(holder) if forwarded else None,
                    "",
                    sub_at,
                    "online",
                    title.casefold(),
                )
            )
            n_authors = rng.randint(2, 4) if kind == "group" else 1
            for position in range(1, n_authors + 1):
                name = _name(rng)
                phone = f"09{rng.randrange(10**8):08d}"
                authors.append(
                    (
                        author_ids.take(),
                        position,
                        name,
                        rng.choice(JOBS),
                        f"Đơn vị {unit}",
                        "Thành phố Lạng Sơn",
                        phone,
                        f"tacgia{eid}-{position}@bench.cchc.vn",
                        position == 1,
                        owner if position == 1 else None,
                        eid,
                        name.casefold(),
                        phone,
                    )
                )
            files.append(
                (
                    file_ids.take(),
                    "main",
                    f"entries/{contest.pk}/{uuid.uuid4().hex}",
                    f"bai-du-thi-{eid}.pdf",
                    rng.randint(300_000, 15_000_000),
                    hashlib.sha256(str(eid).encode()).hexdigest(),
                    "application/pdf",
                    body,
                    sub_at or now,
                    eid,
                    owner,
                    "document",
                )
            )
            if submitted:
                events.append(
                    (
                        event_ids.take(),
                        eid,
                        sub_at,
                        "submitted",
                        "draft",
                        "submitted",
                        "",
                        "{}",
                        owner,
                        entry_ct,
                        contest.pk,
                    )
                )
            if status == "accepted":
                accepted.append(eid)
            if len(entries) >= 5000:
                _flush(cur, entries, authors, files, events)
        _flush(cur, entries, authors, files, events)
        counts["entries"] = args.entries
        counts["accepted"] = len(accepted)

        # --- judging: assignments, sheets, scores ---------------------------------------------
        assignment_ids = Ids(cur, "judging_assignment")
        sheet_ids, score_ids = Ids(cur, "judging_scoresheet"), Ids(cur, "judging_score")
        per_entry = min(args.judges_per_entry, len(judges))
        severity = {j: rng.uniform(-0.08, 0.08) for j in judges}
        assignments, sheets, scores = [], [], []
        for eid in accepted:
            quality = rng.uniform(0.3, 0.95)
            for judge in rng.sample(judges, per_entry):
                assignments.append(
                    (assignment_ids.take(), "written", False, now, None, contest.pk, eid, judge)
                )
                sid = sheet_ids.take()
                total = Decimal(0)
                for cid, maximum, weight in criteria:
                    raw = float(maximum) * (quality + severity[judge] + rng.gauss(0, 0.05))
                    points = Decimal(min(float(maximum), max(0.0, round(raw * 2) / 2))).quantize(
                        Decimal("0.01")
                    )
                    total += points * weight
                    scores.append((score_ids.take(), points, cid, sid))
                sheets.append(
                    (
                        sid,
                        "written",
                        "submitted",
                        1,
                        "",
                        total.quantize(Decimal("0.001")),
                        "web",
                        now,
                        now,
                        contest.pk,
                        eid,
                        judge,
                    )
                )
            if len(sheets) >= 20000:
                _flush_judging(cur, assignments, sheets, scores)
        _flush_judging(cur, assignments, sheets, scores)
        counts["assignments"] = len(accepted) * per_entry
        counts["scores"] = len(accepted) * per_entry * len(criteria)
        for ids in (
            user_ids,
            unit_ids,
            role_ids,
            profile_ids,
            batch_ids,
            entry_ids,
            author_ids,
            file_ids,
            event_ids,
            assignment_ids,
            sheet_ids,
            score_ids,
        ):
            ids.finish(cur)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["contest_id"] = contest.pk
    print(json.dumps(counts, ensure_ascii=False))
    return counts


def _flush(cur, entries, authors, files, events) -> None:
    copy_rows(
        cur,
        "submissions_entry",
        [
            "id",
            "kind",
            "status",
            "tracking_code",
            "title",
            "summary",
            "problem",
            "solution",
            "expected_effect",
            "implementation",
            "replication",
            "form",
            "competed_before",
            "previous_contest_name",
            "revision_explanation",
            "declaration_accepted",
            "consent_accepted",
            "wizard_step",
            "version",
            "submitted_at",
            "created_at",
            "updated_at",
            "category_id",
            "contest_id",
            "entered_by_staff_id",
            "holder_id",
            "owner_id",
            "unit_id",
            "forwarding_batch_id",
            "paper_reference",
            "receipt_sent_at",
            "received_via",
            "title_key",
        ],
        entries,
    )
    copy_rows(
        cur,
        "submissions_author",
        [
            "id",
            "position",
            "full_name",
            "job_title",
            "workplace",
            "address",
            "phone",
            "email",
            "is_representative",
            "user_id",
            "entry_id",
            "name_key",
            "phone_key",
        ],
        authors,
    )
    copy_rows(
        cur,
        "submissions_entryfile",
        [
            "id",
            "purpose",
            "file",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "extracted_text",
            "uploaded_at",
            "entry_id",
            "uploaded_by_id",
            "kind",
        ],
        files,
    )
    copy_rows(
        cur,
        "contest_event",
        [
            "id",
            "object_id",
            "at",
            "action",
            "from_state",
            "to_state",
            "reason",
            "data",
            "actor_id",
            "content_type_id",
            "contest_id",
        ],
        events,
    )
    for rows in (entries, authors, files, events):
        rows.clear()


def _flush_judging(cur, assignments, sheets, scores) -> None:
    copy_rows(
        cur,
        "judging_assignment",
        [
            "id",
            "round",
            "manual",
            "assigned_at",
            "assigned_by_id",
            "contest_id",
            "entry_id",
            "judge_id",
        ],
        assignments,
    )
    copy_rows(
        cur,
        "judging_scoresheet",
        [
            "id",
            "round",
            "status",
            "version",
            "comment",
            "total",
            "source",
            "submitted_at",
            "updated_at",
            "contest_id",
            "entry_id",
            "judge_id",
        ],
        sheets,
    )
    copy_rows(cur, "judging_score", ["id", "points", "criterion_id", "sheet_id"], scores)
    for rows in (assignments, sheets, scores):
        rows.clear()


if __name__ == "__main__":
    main()
