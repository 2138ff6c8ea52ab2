import pytest

from awards.money import amount_in_words, format_vnd, number_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (33_750_000, "Ba mươi ba triệu bảy trăm năm mươi nghìn đồng"),
        (5_000_000, "Năm triệu đồng"),
        (2_500_000, "Hai triệu năm trăm nghìn đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (7_500_000, "Bảy triệu năm trăm nghìn đồng"),
        (3_750_000, "Ba triệu bảy trăm năm mươi nghìn đồng"),
        (2_250_000, "Hai triệu hai trăm năm mươi nghìn đồng"),
        (13_500_000, "Mười ba triệu năm trăm nghìn đồng"),
        (20_250_000, "Hai mươi triệu hai trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_010_000, "Một triệu không trăm mười nghìn đồng"),
        (2_000_000_015, "Hai tỷ không trăm mười lăm đồng"),
        (105, "Một trăm linh năm đồng"),
    ],
)
def test_amount_in_words_formal_style(amount, words):
    assert amount_in_words(amount) == words


def test_number_in_words_zero_and_negative():
    assert number_in_words(0) == "không"
    with pytest.raises(ValueError):
        number_in_words(-1)


def test_format_vnd_groups_by_dots():
    assert format_vnd(33_750_000) == "33.750.000"
