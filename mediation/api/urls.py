from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # grids.api.urls serves the API root
router.register("cases", views.CaseViewSet, basename="mediation-case")

urlpatterns = [path("mediation/", include(router.urls))]
