from django.urls import path

from . import views_public

urlpatterns = [
    path("tra-cuu/", views_public.lookup, name="lookup"),
]
