from django.urls import path

from . import views

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
    path("residents/<int:pk>/", views.account_detail, name="account"),
]
