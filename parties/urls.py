from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.home, name="home"),
]
