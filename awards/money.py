"""Amounts of money in Vietnamese words, in the formal style of decisions and payment lists.

num2words(lang="vi") reads each group of three digits correctly on its own, but drops the
"không trăm" of an inner group below one hundred ("một triệu năm nghìn" for 1.005.000) and
says "lẻ" where administrative documents say "linh". So numbers are read group by group
here, and num2words reads only whole groups below one thousand."""

from num2words import num2words

_SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _read_group(value: int, *, inner: bool) -> str:
    """One group of three digits. An inner group (not the leading one) reads its hundreds
    even when they are zero: 005 → "không trăm linh năm", 050 → "không trăm năm mươi"."""
    words = num2words(value, lang="vi").replace("lẻ", "linh")
    if inner and value < 100:
        if value < 10:
            return f"không trăm linh {words}"
        return f"không trăm {words}"
    return words


def number_in_words(value: int) -> str:
    if value < 0:
        raise ValueError("negative amounts are not printed")
    if value == 0:
        return "không"
    groups: list[int] = []
    rest = value
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    if len(groups) > len(_SCALES):
        raise ValueError("amount too large")
    parts: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words = _read_group(group, inner=index != top)
        parts.append(f"{words} {_SCALES[index]}".strip())
    return " ".join(parts)


def amount_in_words(value: int) -> str:
    """33750000 → "Ba mươi ba triệu bảy trăm năm mươi nghìn đồng"."""
    words = number_in_words(value)
    return f"{words[0].upper()}{words[1:]} đồng"


def format_vnd(value: int) -> str:
    """33750000 → "33.750.000" (the grouping of Vietnamese documents)."""
    return f"{value:,}".replace(",", ".")
