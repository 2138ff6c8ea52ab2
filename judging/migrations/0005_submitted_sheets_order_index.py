# The progress board's submitted sheets are listed latest first, ties by id: an index in
# that very order lets PostgreSQL read one page (LIMIT 50) instead of sorting every sheet.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0004_judging_settings_for_every_contest"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="scoresheet",
            name="sheet_submitted_idx",
        ),
        migrations.AddIndex(
            model_name="scoresheet",
            index=models.Index(
                fields=["contest", "status", "-submitted_at", "-id"],
                name="sheet_submitted_order_idx",
            ),
        ),
    ]
