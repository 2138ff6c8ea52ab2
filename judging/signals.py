"""Documented extension point: a contest has its judging settings from the moment it is
created (by the admin, the seed, a copy to next year or a test factory), so the pages that
show them only read (no row is written on a GET). Contests created before this existed got
theirs from migration 0004."""

from django.db.models.signals import post_save


def judging_settings_create(sender, instance, created: bool, raw: bool = False, **kwargs):
    # raw: a backup being restored brings its own rows.
    if created and not raw:
        from .models import JudgingSettings

        JudgingSettings.objects.get_or_create(contest=instance)


def connect() -> None:
    post_save.connect(
        judging_settings_create,
        sender="contest.Contest",
        dispatch_uid="judging_settings_create",
    )
