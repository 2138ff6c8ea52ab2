import pytest
from django.core.exceptions import ValidationError

from accounts.phone import phone_last_digits, phone_normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912-345-678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
    ],
)
def test_phone_normalize_accepts_vietnamese_forms(raw, expected):
    assert phone_normalize(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "091234567",
        "09123456789",
        "1912345678",
        "0012345678",
        "+1 202 555 0123",
        "abc",
        "0912-34x-678",
        "",
    ],
)
def test_phone_normalize_rejects_other_input(raw):
    with pytest.raises(ValidationError) as caught:
        phone_normalize(raw)

    assert caught.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "5678"),
        ("+84 912 345 678", "5678"),
        ("123", ""),
        ("", ""),
    ],
)
def test_phone_last_digits_cases(raw, expected):
    assert phone_last_digits(raw) == expected
