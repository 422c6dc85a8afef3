from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # grids.api.urls serves the API root
router.register("accounts", views.AccountViewSet, basename="points-account")
router.register("service-records", views.ServiceRecordViewSet, basename="points-service-record")
router.register("rewards", views.RewardViewSet, basename="points-reward")
router.register("redemptions", views.RedemptionViewSet, basename="points-redemption")
router.register("evaluations", views.EvaluationViewSet, basename="points-evaluation")

urlpatterns = [path("points/", include(router.urls))]
