from django.urls import path

from . import views_secretariat as views

app_name = "secretariat"

urlpatterns = [
    path("", views.secretariat_index, name="index"),
    path("<int:contest_id>/tuan-thu/", views.compliance_board, name="compliance"),
    path("<int:contest_id>/tuan-thu.xlsx", views.compliance_board_export, name="compliance_xlsx"),
    path("<int:contest_id>/tiep-nhan/", views.intake, name="intake"),
    path(
        "<int:contest_id>/tiep-nhan/<int:entry_id>/chap-nhan/",
        views.entry_accept,
        name="entry_accept",
    ),
    path(
        "<int:contest_id>/tiep-nhan/<int:entry_id>/tra-lai/",
        views.entry_return,
        name="entry_return",
    ),
    path(
        "<int:contest_id>/cong-van/<int:batch_id>/",
        views.cover_letter_download,
        name="cover_letter",
    ),
    path(
        "<int:contest_id>/giai-trinh/<int:letter_id>/",
        views.explanation_download,
        name="explanation_download",
    ),
]
