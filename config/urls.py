from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from contest.views import healthz, language

admin.site.site_header = _("Cuộc thi ý tưởng, giải pháp cải cách hành chính")
admin.site.site_title = _("Quản trị cuộc thi CCHC")

# The database unreachable: a 503 page instead of the 500 (config/middleware.py).
handler500 = "config.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("accounts.urls")),
    path("tai-khoan/bao-mat/", include("accounts.urls_security")),
    path("tai-khoan/", include("allauth.urls")),
    path("", include("submissions.urls_public")),
    path("bai-du-thi/", include("submissions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/<str:code>/", language, name="language"),
    path("don-vi/", include("submissions.urls_unit")),
    path("thu-ky/", include("submissions.urls_secretariat")),
    path("cham-thi/", include("judging.urls")),
    path("", include("awards.urls")),
    path("", include("contest.urls")),
]
