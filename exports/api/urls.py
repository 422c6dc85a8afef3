from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # grids.api.urls serves the API root
router.register("exports", views.ExportJobViewSet, basename="export")

urlpatterns = [path("", include(router.urls))]
