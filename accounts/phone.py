"""Vietnamese phone numbers: one normal form (0 and nine digits) for storing and comparing."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"0[1-9]\d{8}")

INVALID_PHONE_MESSAGE = _(
    "Số điện thoại không hợp lệ. Nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) "
    "hoặc dạng quốc tế +84 (ví dụ +84 912 345 678)."
)


def phone_normalize(value: str) -> str:
    """ "+84 912-345-678", "0084912345678", "0912.345.678" → "0912345678".
    Raises ValidationError with a Vietnamese message for anything else."""
    compact = _SEPARATORS.sub("", value or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("0084"):
        compact = "0" + compact[4:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    if not _NATIONAL.fullmatch(compact):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return compact


def phone_last_digits(value: str, count: int = 4) -> str:
    """The last `count` digits of a stored phone number ("" when it has fewer)."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-count:] if len(digits) >= count else ""
