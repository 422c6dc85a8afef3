from django.urls import path

from . import dashboard_views

app_name = "dashboards"

urlpatterns = [
    path("<int:pk>/", dashboard_views.node_dashboard, name="node"),
    path("<int:pk>/screen/", dashboard_views.screen, name="screen"),
    path("<int:pk>/export.xlsx", dashboard_views.export, name="export"),
]
