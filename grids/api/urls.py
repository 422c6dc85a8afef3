from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False  # yaohai.urls serves the API root, listing every app's routes
router.register("nodes", views.GridNodeViewSet, basename="node")
router.register("posts", views.PostViewSet, basename="post")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = [path("", include(router.urls))]
