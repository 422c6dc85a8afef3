from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
]
