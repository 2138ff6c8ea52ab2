from django.urls import path

from . import views_unit as views

app_name = "units"

urlpatterns = [
    path("", views.unit_index, name="index"),
    path("<int:unit_id>/", views.dashboard, name="dashboard"),
    path("<int:unit_id>/bai/<int:entry_id>/", views.entry_detail, name="entry"),
    path(
        "<int:unit_id>/bai/<int:entry_id>/so-loai/",
        views.entry_start_screening,
        name="entry_start_screening",
    ),
    path("<int:unit_id>/bai/<int:entry_id>/khong-chon/", views.entry_reject, name="entry_reject"),
    path("<int:unit_id>/bai/<int:entry_id>/chon/", views.entry_select, name="entry_select"),
    path(
        "<int:unit_id>/bai/<int:entry_id>/tham-dinh/", views.entry_appraise, name="entry_appraise"
    ),
    path("<int:unit_id>/bai/<int:entry_id>/xac-nhan/", views.entry_certify, name="entry_certify"),
    path(
        "<int:unit_id>/bai/<int:entry_id>/xac-nhan/sua/",
        views.entry_certify_amend,
        name="entry_certify_amend",
    ),
    path("<int:unit_id>/bai/<int:entry_id>/chuyen-len/", views.entry_pass_up, name="entry_pass_up"),
    path("<int:unit_id>/gui-bai/", views.forward, name="forward"),
    path(
        "<int:unit_id>/cong-van/<int:batch_id>/", views.cover_letter_download, name="cover_letter"
    ),
    path("<int:unit_id>/giai-trinh/", views.explanation, name="explanation"),
    path(
        "<int:unit_id>/giai-trinh/<int:letter_id>/",
        views.explanation_download,
        name="explanation_download",
    ),
]
