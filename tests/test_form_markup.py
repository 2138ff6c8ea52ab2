"""The portal's own field template for crispy-forms (templates/bootstrap5/field.html) keeps
Bootstrap's markup and the accessible error links; Entry's status and kind labels."""

import pytest
from django.template import engines

from submissions import forms as f
from submissions.enums import EntryKind, EntryStatus
from submissions.models import Entry

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")


def test_a_text_field_with_an_error_is_marked_invalid_and_linked_to_its_message():
    form = f.AuthorForm(data={"full_name": "Nguyễn Thị Hoà", "email": "khong-hop-le"})
    assert not form.is_valid()

    html = CRISPY.render({"form": form})

    assert '<label for="id_full_name" class="form-label">Họ và tên</label>' in html
    assert 'value="Nguyễn Thị Hoà"' in html
    email = html[html.index('name="email"') :]
    assert 'class="emailinput form-control is-invalid"' in email[: email.index(">")]
    assert 'aria-invalid="true"' in email[: email.index(">")]
    assert 'aria-describedby="id_email_error"' in email[: email.index(">")]
    assert '<div id="id_email_error" class="invalid-feedback"><p id="error_1_id_email">' in html


def test_checkbox_and_radio_fields_keep_bootstraps_check_markup():
    kind = CRISPY.render({"form": f.KindForm()})
    author = CRISPY.render({"form": f.AuthorForm()})

    assert '<legend class="form-label requiredField fs-6">Bài dự thi của' in kind
    assert kind.count('class="form-check-input"') == len(EntryKind.choices)
    assert '<div id="div_id_is_representative" class="form-check">' in author
    assert 'class="checkboxinput form-check-input"' in author
    assert '<label for="id_is_representative" class="form-check-label">' in author


@pytest.mark.parametrize("status", EntryStatus.values)
def test_entry_status_label_is_the_translated_choice(status):
    entry = Entry(status=status, kind=EntryKind.GROUP)

    assert entry.status_label == entry.get_status_display()
    assert entry.kind_label == entry.get_kind_display()
