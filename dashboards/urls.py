from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("<int:pk>/", views.node_dashboard, name="node"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
