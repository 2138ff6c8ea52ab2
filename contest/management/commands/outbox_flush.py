"""Send the background jobs still waiting in the outbox (contest/outbox.py), e.g. after a broker
outage, without waiting for Celery beat."""

from django.core.management.base import BaseCommand

from contest.outbox import outbox_flush


class Command(BaseCommand):
    help = "Gửi các tác vụ nền còn chờ trong hàng đợi (outbox) tới Celery."

    def handle(self, *args, **options):
        from config.celery import app

        # Register every task (a worker does this at start; this process imported none).
        app.loader.import_default_modules()
        result = outbox_flush(app=app)
        self.stdout.write(
            f"sent={result['sent']} failed={result['failed']} pending={result['pending']} "
            f"purged={result['purged']}"
        )
        return None
