from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("<int:pk>/", views.node_page, name="node"),
    path("<int:pk>/sheet/", views.sheet, name="sheet"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/compute/", views.compute, name="compute"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
