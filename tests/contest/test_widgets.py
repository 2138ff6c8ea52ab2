"""LongSelect renders the same choice list as Django's Select, in one pass."""

from django import forms

from contest.widgets import LongSelect


class _Form(forms.Form):
    judge = forms.TypedChoiceField(
        coerce=int, choices=[(1, "Nguyễn Văn An"), (2, "<b>Trần & Lê</b>")], widget=LongSelect
    )


def test_marks_the_chosen_option_and_escapes_labels():
    html = str(_Form({"judge": "2"})["judge"])

    assert html.startswith("<select ") and html.endswith("</select>")
    assert 'name="judge"' in html and 'id="id_judge"' in html
    assert '<option value="1">Nguyễn Văn An</option>' in html
    assert '<option value="2" selected>&lt;b&gt;Trần &amp; Lê&lt;/b&gt;</option>' in html


def test_valid_choice_is_still_checked_by_the_field():
    form = _Form({"judge": "3"})

    assert not form.is_valid()
    assert "judge" in form.errors
