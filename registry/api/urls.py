from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # grids.api.urls serves the API root
for prefix, viewset, basename in (
    ("compounds", views.CompoundViewSet, "compound"),
    ("buildings", views.BuildingViewSet, "building"),
    ("houses", views.HouseViewSet, "house"),
    ("residents", views.ResidentViewSet, "resident"),
    ("households", views.HouseholdViewSet, "household"),
    ("care-lists", views.CareListViewSet, "care-list"),
    ("care-members", views.CareMemberViewSet, "care-member"),
    ("organisations", views.OrganisationViewSet, "organisation"),
    ("thing-types", views.ThingTypeViewSet, "thing-type"),
    ("things", views.ThingViewSet, "thing"),
    ("access-records", views.AccessRecordViewSet, "access-record"),
    ("patrols", views.PatrolViewSet, "patrol"),
    ("visits", views.VisitViewSet, "visit"),
):
    router.register(prefix, viewset, basename=f"registry-{basename}")

urlpatterns = [path("registry/", include(router.urls))]
