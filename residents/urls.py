from django.urls import path, re_path

from . import open311_views, views

app_name = "residents"

urlpatterns = [
    path("r/signin/", views.signin, name="signin"),
    path("r/verify/", views.verify, name="verify"),
    path("r/signout/", views.signout, name="signout"),
    path("r/large-text/", views.large_text, name="large_text"),
    path("r/", views.home, name="home"),
    path("r/community/", views.community, name="community"),
    path("r/report/", views.report, name="report"),
    path("r/reports/", views.my_reports, name="my_reports"),
    path("r/reports/<int:pk>/", views.my_report, name="my_report"),
    path("r/reports/<int:pk>/join/", views.join, name="join"),
    path("r/reports/<int:pk>/rate/", views.rate, name="rate"),
    path("r/notices/", views.notices, name="notices"),
    path("r/passbook/", views.passbook, name="passbook"),
    path("r/activities/", views.activities, name="activities"),
    path("residents/", views.queue, name="queue"),
    path("residents/reopen/", views.reopens, name="reopens"),
    path("residents/callbacks/", views.callbacks, name="callbacks"),
    path("residents/<int:pk>/", views.account_detail, name="account"),
    # Open311 GeoReport v2 (residents/open311.py): /open311/v2/services.json, …/requests/<id>.xml, …
    re_path(r"^open311/v2/services\.(?P<fmt>\w{1,8})$", open311_views.service_list, name="open311_services"),
    re_path(r"^open311/v2/services/(?P<code>[^/.]{1,40})\.(?P<fmt>\w{1,8})$", open311_views.service_definition,
            name="open311_service"),
    re_path(r"^open311/v2/requests\.(?P<fmt>\w{1,8})$", open311_views.request_list, name="open311_requests"),
    re_path(r"^open311/v2/requests/(?P<reference>[^/.]{1,40})\.(?P<fmt>\w{1,8})$", open311_views.request_detail,
            name="open311_request"),
    re_path(r"^open311/v2/tokens/(?P<token>[^/.]{1,40})\.(?P<fmt>\w{1,8})$", open311_views.token_detail,
            name="open311_token"),
]
