"""Top-level routes. Every route here must be listed in tests/test_scope.py's route table."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from yaohai.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("grids/", include("grids.urls")),
    path("events/", include("events.urls")),
    path("registry/", include("registry.urls")),
    path("dashboards/", include("events.dashboard_urls")),
    path("assessment/", include("events.assessment.urls")),
    path("exports/", include("grids.exports.urls")),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include("grids.api.urls")),
    path("api/v1/", include("events.api.urls")),
    path("api/v1/", include("registry.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "e网清 管理后台"
admin.site.site_title = "e网清"
admin.site.index_title = "e网清"

# Uploads are not served as a folder, not even in DEBUG: each app serves its files through a scoped view
# (events:photo; exports:download, to the export's owner only).
