from contest.selectors import prize_table


def test_prize_table_group_amounts_are_one_and_a_half_times_individual(contest):
    table = prize_table(contest=contest)

    assert [(line.name, line.individual_amount, line.group_amount) for line in table.lines] == [
        ("Giải nhất", 5_000_000, 7_500_000),
        ("Giải nhì", 2_500_000, 3_750_000),
        ("Giải ba", 1_500_000, 2_250_000),
        ("Giải khuyến khích", 1_000_000, 1_500_000),
    ]


def test_prize_table_total_is_the_plans_fund(contest):
    table = prize_table(contest=contest)

    assert table.individual_total == 5_000_000 + 2_500_000 + 2 * 1_500_000 + 3 * 1_000_000
    assert table.group_total == 7_500_000 + 3_750_000 + 2 * 2_250_000 + 3 * 1_500_000
    assert table.total == 33_750_000
    assert table.prize_count == 14


def test_prize_table_follows_a_changed_multiplier(contest):
    contest.group_prize_multiplier = 2
    contest.save()

    table = prize_table(contest=contest)

    assert table.lines[0].group_amount == 10_000_000
    assert table.total == 13_500_000 * 3
