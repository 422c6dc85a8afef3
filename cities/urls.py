from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.city, name="city"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("nodes/<int:pk>/", views.node, name="node"),
]
