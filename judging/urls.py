from django.urls import path

from contest.enums import ScoringRound

from . import views

app_name = "judging"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.contest_home, name="contest"),
    # Judges
    path("<slug:slug>/giam-khao/", views.queue, name="queue"),
    path("<slug:slug>/giam-khao/bai/<int:entry_id>/", views.sheet, name="sheet"),
    path(
        "<slug:slug>/giam-khao/bai/<int:entry_id>/thuyet-trinh/",
        views.sheet,
        {"round": ScoringRound.PRESENTATION},
        name="sheet_presentation",
    ),
    path(
        "<slug:slug>/giam-khao/bai/<int:entry_id>/tep/<int:file_id>/",
        views.file_download,
        name="file_download",
    ),
    path(
        "<slug:slug>/giam-khao/bai/<int:entry_id>/tep/<int:file_id>/van-ban/",
        views.file_text,
        name="file_text",
    ),
    path("<slug:slug>/giam-khao/xung-dot/", views.conflicts, name="conflicts"),
    # Secretariat
    path("<slug:slug>/thu-ky/phan-cong/", views.assignments, name="assignments"),
    path("<slug:slug>/thu-ky/xung-dot/", views.secretariat_conflicts, name="secretariat_conflicts"),
    path("<slug:slug>/thu-ky/tien-do/", views.progress, name="progress"),
    path("<slug:slug>/thu-ky/phieu/<int:sheet_id>/mo-lai/", views.reopen, name="reopen"),
    path("<slug:slug>/thu-ky/nhap-diem/", views.scores_import, name="scores_import"),
    path("<slug:slug>/thu-ky/nhap-diem/mau.xlsx", views.score_template, name="score_template"),
    path("<slug:slug>/thu-ky/trung-lap/", views.duplicates, name="duplicates"),
    path(
        "<slug:slug>/thu-ky/bai/<int:entry_id>/khong-hop-le/",
        views.entry_ineligible,
        name="entry_ineligible",
    ),
    path("<slug:slug>/thu-ky/cau-hinh/", views.judging_settings, name="settings"),
    path("<slug:slug>/thu-ky/thuyet-trinh/", views.presentation_page, name="presentation"),
    # Secretariat and organizing committee
    path("<slug:slug>/xep-hang/", views.ranking_page, name="ranking"),
]
