from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic-new"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/step/<str:step>/", views.topic_step, name="topic-step"),
    path("topics/<int:pk>/act/<str:name>/", views.topic_act, name="topic-act"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/sign-up/", views.activity_sign_up, name="activity-sign-up"),
    path("activities/<int:pk>/summary/", views.activity_summary, name="activity-summary"),
    path("activities/<int:pk>/photos/", views.activity_photos, name="activity-photos"),
    path("activity-photos/<int:pk>/", views.activity_photo, name="activity-photo"),
    path("sign-ups/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("mine/", views.mine, name="mine"),
]
