import logging

from django.core.management.base import BaseCommand

from contest.demo import lookup_example
from contest.enums import Role
from contest.seed import DEMO_PASSWORD, DEMO_USERS, seed_2025, seed_demo


class Command(BaseCommand):
    help = "Load the 2025 contest and a demo contest with deadlines around today (idempotent)."

    def handle(self, *args, **options):
        # The demo's eager tasks (receipts, cover letters) would each log a line.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        seed_2025()
        contest = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp cuộc thi trình diễn: {contest.short_name}"))
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin@demo.cchc.vn':36} Quản trị hệ thống")
        labels = dict(Role.choices)
        unit_names = dict(contest.units.values_list("code", "name"))
        for email, name, role, unit_code in DEMO_USERS:
            label = labels.get(role, "Tác giả (người dự thi)") if role else "Tác giả (người dự thi)"
            where = f" – {unit_names.get(unit_code, unit_code)}" if unit_code else ""
            self.stdout.write(f"  {email:36} {name}, {label}{where}")
        example = lookup_example(contest)
        if example:
            code, last4 = example
            self.stdout.write(
                f"Thử tra cứu tại /tra-cuu/: mã bài {code}, 4 số cuối điện thoại {last4}"
            )
