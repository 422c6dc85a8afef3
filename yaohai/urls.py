"""Top-level routes. Every route here must be listed in tests/test_scope.py's route table."""

from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView

from grids.accounts import api as accounts_api
from grids.accounts import views as accounts_views
from yaohai.core import views as core_views
from yaohai.core.signin import AdminLoginForm

# Each app's API router, under /api/v1/; the root lists the list route of every one of their resources.
API_URLCONFS = [
    "grids.api.urls", "exports.api.urls", "events.api.urls", "registry.api.urls", "parties.api.urls",
    "mediation.api.urls", "points.api.urls",
]


def api_root_view():
    """The browsable API's root, listing every app's resources (a DefaultRouter's root lists only its own)."""
    routes = {}
    for urlconf in API_URLCONFS:
        router = import_string(f"{urlconf}.router")
        list_name = router.routes[0].name
        routes.update({prefix: list_name.format(basename=basename) for prefix, _viewset, basename in router.registry})
    return APIRootView.as_view(api_root_dict=routes)


urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("grids.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("grids/", include("grids.urls")),
    path("events/", include("events.urls")),
    path("registry/", include("registry.urls")),
    path("parties/", include("parties.urls")),
    path("mediation/", include("mediation.urls")),
    path("points/", include("points.urls")),
    path("", include("residents.urls")),  # /r/ (residents' own pages) and /residents/ (the officers' queue)
    path("dashboards/", include("dashboards.urls")),
    path("assessment/", include("assessment.urls")),
    path("cities/", include("cities.urls")),
    path("exports/", include("exports.urls")),
    path("api/v1/auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("api/v1/", api_root_view(), name="api-root"),
    *(path("api/v1/", include(urlconf)) for urlconf in API_URLCONFS),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "e网清 管理后台"
admin.site.site_title = "e网清"
admin.site.index_title = "e网清"
admin.site.login_form = AdminLoginForm  # an over-long user name is a form error, never an axes record

# Uploads are not served as a folder, not even in DEBUG: each app serves its files through a scoped view
# (events:photo; exports:download, to the export's owner only).
