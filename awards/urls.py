from django.urls import include, path

from . import views

app_name = "awards"

organizer = [
    path("", views.organizer_home, name="organizer_home"),
    path("<int:contest_id>/giai-thuong/", views.dashboard, name="dashboard"),
    path("<int:contest_id>/giai-thuong/tinh-giai/", views.compute, name="compute"),
    path(
        "<int:contest_id>/giai-thuong/bang-diem/<int:index>/", views.decide_tie, name="decide_tie"
    ),
    path(
        "<int:contest_id>/giai-thuong/dieu-chinh/<int:award_id>/",
        views.change_award,
        name="change_award",
    ),
    path("<int:contest_id>/giai-thuong/phe-duyet/", views.approve, name="approve"),
    path("<int:contest_id>/giai-thuong/mo-lai/", views.reopen, name="reopen"),
    path("<int:contest_id>/giai-thuong/cong-bo/", views.publish, name="publish"),
    path("<int:contest_id>/giai-thuong/thiet-lap/", views.settings_edit, name="settings"),
    path("<int:contest_id>/giai-thuong/phu-luc.pdf", views.annex_pdf, name="annex_pdf"),
    path(
        "<int:contest_id>/giai-thuong/danh-sach-chi-thuong.xlsx",
        views.annex_xlsx,
        name="annex_xlsx",
    ),
    path(
        "<int:contest_id>/bang-khen/tao/", views.certificates_generate, name="certificates_generate"
    ),
    path(
        "<int:contest_id>/bang-khen/tien-do.json",
        views.certificates_progress,
        name="certificates_progress",
    ),
    path(
        "<int:contest_id>/bang-khen/<str:kind>/ban-in.pdf",
        views.certificates_merged,
        name="certificates_merged",
    ),
    path(
        "<int:contest_id>/bang-khen/tep/<int:certificate_id>.pdf",
        views.certificate_file,
        name="certificate_file",
    ),
    path("<int:contest_id>/phoi/<str:kind>/", views.layout_edit, name="layout"),
    path("<int:contest_id>/phoi/<str:kind>/in-de.pdf", views.overprint_pdf, name="overprint"),
    path(
        "<int:contest_id>/phoi/<str:kind>/can-chinh.pdf", views.calibration_pdf, name="calibration"
    ),
    path("<int:contest_id>/bao-cao/", views.reports, name="reports"),
    path("<int:contest_id>/bao-cao/bao-cao-ket-qua.pdf", views.report_pdf, name="report_pdf"),
    path("<int:contest_id>/bao-cao/bai-du-thi.xlsx", views.entries_xlsx, name="entries_xlsx"),
]

urlpatterns = [
    path("ket-qua/", views.results, name="results"),
    path("xac-minh/<str:number>/", views.verify, name="verify"),
    path("ban-to-chuc/", include(organizer)),
]
