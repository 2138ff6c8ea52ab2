from django.core.management.base import BaseCommand

from contest.seed import seed_2025


class Command(BaseCommand):
    help = "Load the real 2025 contest of Lạng Sơn exactly as the plan states (idempotent)."

    def handle(self, *args, **options):
        contest = seed_2025()
        self.stdout.write(
            self.style.SUCCESS(
                f"Cuộc thi {contest.short_name}: {contest.units.count()} đầu mối tiếp nhận."
            )
        )
