from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False  # grids.api.urls serves the API root
for prefix, viewset, basename in (
    ("orgs", views.PartyOrgViewSet, "org"),
    ("members", views.MemberViewSet, "member"),
    ("topics", views.TopicViewSet, "topic"),
    ("activities", views.ActivityViewSet, "activity"),
    ("notices", views.NoticeViewSet, "notice"),
    ("committees", views.CommitteeViewSet, "committee"),
    ("teams", views.TeamViewSet, "team"),
    ("partners", views.PartnerViewSet, "partner"),
    ("centres", views.CentreViewSet, "centre"),
    ("central-households", views.CentralHouseholdViewSet, "central-household"),
):
    router.register(prefix, viewset, basename=f"parties-{basename}")

urlpatterns = [path("parties/", include(router.urls))]
