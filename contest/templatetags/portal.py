import unicodedata
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.numberformat import format as number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(value) -> str:
    """5000000 → "5.000.000 đ" whatever the active language."""
    if value in (None, ""):
        return ""
    digits = number_format(int(value), ".", grouping=3, thousand_sep=".", force_grouping=True)
    return f"{digits} đ"


@register.filter
def instant(value) -> str:
    """An exact instant in the contest's time zone (Asia/Ho_Chi_Minh, whatever time zone is
    active): "00:00 ngày 15/07/2025"."""
    if value is None:
        return ""
    local = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


@register.filter
def nfc(value) -> str:
    """Composed Unicode (Django's own LANG_INFO spells "Tiếng Việt" decomposed)."""
    return unicodedata.normalize("NFC", str(value))
