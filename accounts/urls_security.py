from django.urls import path

from . import otp

app_name = "security"

urlpatterns = [
    path("xac-thuc-hai-buoc/", otp.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/nhap-ma/", otp.otp_verify, name="otp_verify"),
]
