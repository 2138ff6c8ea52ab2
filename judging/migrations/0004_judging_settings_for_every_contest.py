"""Every contest has its judging settings row (new contests get it when created,
judging/signals.py), so the pages that show the settings never write on a GET."""

from django.db import migrations


def create_missing(apps, schema_editor):
    Contest = apps.get_model("contest", "Contest")
    JudgingSettings = apps.get_model("judging", "JudgingSettings")
    missing = Contest.objects.filter(judging_settings__isnull=True).values_list("pk", flat=True)
    JudgingSettings.objects.bulk_create(JudgingSettings(contest_id=pk) for pk in missing)


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0001_initial"),
        ("judging", "0003_progress_and_ranking_indexes"),
    ]

    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
