from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from contest.views import healthz

admin.site.site_header = _("Cuộc thi ý tưởng, giải pháp cải cách hành chính")
admin.site.site_title = _("Quản trị cuộc thi CCHC")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("contest.urls")),
]

