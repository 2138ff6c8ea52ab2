from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cuoc-thi/<slug:slug>/", views.home, name="contest_home"),
]
