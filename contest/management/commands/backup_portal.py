from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contest.backup import BackupError, portal_backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cổng: cơ sở dữ liệu (JSON của Django), mọi tệp trong kho tệp và "
        "manifest.json với mã SHA-256 của từng tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Thư mục đích (mới hoặc trống); mặc định var/backups/<thời điểm UTC>.",
        )

    def handle(self, *args, **options):
        output = options["output"] or str(
            Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("%Y%m%dT%H%M%SZ")
        )
        try:
            summary = portal_backup(output=Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {summary.directory}: {summary.objects} bản ghi, "
                f"{summary.files} tệp ({summary.bytes} byte)."
            )
        )
