from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contest.backup import BackupError, portal_restore


class Command(BaseCommand):
    help = (
        "Khôi phục bản sao lưu của backup_portal vào cơ sở dữ liệu và kho tệp TRỐNG "
        "(đã chạy migrate), kiểm tra mã SHA-256 của mọi tệp trước và sau khi khôi phục."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Thư mục do backup_portal tạo ra.")

    def handle(self, *args, **options):
        try:
            summary = portal_restore(directory=Path(options["directory"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {summary.objects} bản ghi và {summary.files} tệp; "
                f"{summary.verified} tệp khớp mã SHA-256."
            )
        )
