from django.urls import path

from . import views

app_name = "grids"

urlpatterns = [
    path("<int:pk>/", views.node_detail, name="node-detail"),
    path("<int:pk>/roster.xlsx", views.roster_export, name="roster-export"),
]
