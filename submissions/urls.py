from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.start, name="start"),
    path("<int:entry_id>/", views.resume, name="resume"),
    path("<int:entry_id>/buoc/<slug:slug>/", views.step, name="step"),
    path("<int:entry_id>/xem-lai/", views.review, name="review"),
    path("<int:entry_id>/bien-nhan/", views.receipt, name="receipt"),
    path("<int:entry_id>/bien-nhan.pdf", views.receipt_pdf_view, name="receipt_pdf"),
    path("<int:entry_id>/rut-bai/", views.withdraw, name="withdraw"),
    path("<int:entry_id>/tep/<int:file_id>/xoa/", views.file_remove, name="file_remove"),
    path("tep/<int:file_id>/", views.file_download, name="file_download"),
    path("don-vi/<int:unit_id>/nhap-bai-giay/", views.paper_entry, name="paper_new"),
    path(
        "don-vi/<int:unit_id>/nhap-bai-giay/<int:entry_id>/", views.paper_entry, name="paper_edit"
    ),
]
