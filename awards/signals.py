"""Documented extension point: a contest has its award settings from the moment it is
created (by the admin, the seed, a copy to next year or a test factory), so the settings
page and the documents only read them (no row is written on a GET). Contests created before
this existed got theirs from migration 0003."""

from django.db.models.signals import post_save


def award_settings_create(sender, instance, created: bool, raw: bool = False, **kwargs):
    # raw: a backup being restored brings its own rows.
    if created and not raw:
        from .models import AwardSettings

        AwardSettings.objects.get_or_create(contest=instance)


def connect() -> None:
    post_save.connect(
        award_settings_create, sender="contest.Contest", dispatch_uid="award_settings_create"
    )
