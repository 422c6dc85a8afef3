from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # yaohai.urls serves the API root, listing every app's routes
router.register("events", views.EventViewSet, basename="event")
router.register("event-categories", views.CategoryViewSet, basename="event-category")
router.register("handling-units", views.HandlingUnitViewSet, basename="handling-unit")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [path("", include(router.urls))]
