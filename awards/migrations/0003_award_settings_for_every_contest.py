"""Every contest has its award settings row (new contests get it when created,
awards/signals.py), so the settings page and the documents never write on a GET."""

from django.db import migrations


def create_missing(apps, schema_editor):
    Contest = apps.get_model("contest", "Contest")
    AwardSettings = apps.get_model("awards", "AwardSettings")
    missing = Contest.objects.filter(award_settings__isnull=True).values_list("pk", flat=True)
    AwardSettings.objects.bulk_create(AwardSettings(contest_id=pk) for pk in missing)


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0001_initial"),
        ("awards", "0002_certificate_render_queued_started"),
    ]

    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
