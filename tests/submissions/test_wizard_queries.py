"""A wizard step reads the entry once, without joining the signed-in owner again, and reads
its authors or files only when it shows them (every entrant's every step reads this)."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from tests.pages import captured_get, counted_get
from tests.submissions.intake_support import author, open_contest, ready_draft

pytestmark = pytest.mark.django_db

# step slug -> (reads the authors, reads the files)
STEPS = {
    "tac-gia": (True, False),
    "linh-vuc": (False, False),
    "y-tuong": (False, False),
    "tep": (False, True),
    "don-vi": (True, False),
    "cam-ket": (False, False),
}


@pytest.mark.parametrize("slug", STEPS)
def test_a_step_reads_only_what_it_shows(client, slug):
    owner = UserFactory()
    contest = open_contest()
    entry = ready_draft(
        contest=contest,
        owner=owner,
        unit=UnitFactory(contest=contest),
        kind="group",
        authors=[author("Hoàng Văn Thụ"), author("Lê Thị Hồng", representative=False)],
    )
    client.force_login(owner)
    sql, html = captured_get(client, reverse("submissions:step", args=[entry.pk, slug]))

    entry_reads = [s for s in sql if 'FROM "submissions_entry"' in s]
    assert len(entry_reads) == 1
    assert '"accounts_user"' not in entry_reads[0]  # the owner is the signed-in user
    reads_authors, reads_files = STEPS[slug]
    assert any('FROM "submissions_author"' in s for s in sql) == reads_authors
    assert any('FROM "submissions_entryfile"' in s for s in sql) == reads_files
    if slug == "tac-gia":
        assert "Lê Thị Hồng" in html


def test_the_review_shows_authors_and_files_with_a_fixed_number_of_queries(client):
    owner = UserFactory()
    contest = open_contest()
    counts = []
    for n in (1, 4):
        entry = ready_draft(
            contest=contest,
            owner=owner,
            unit=UnitFactory(contest=contest),
            kind="group",
            authors=[author(f"Tác giả {i}", representative=i == 0) for i in range(n)],
        )
        client.force_login(owner)
        queries, html = counted_get(client, reverse("submissions:review", args=[entry.pk]))
        counts.append(queries)
        assert f"Tác giả {n - 1}" in html
    assert counts[0] == counts[1]
