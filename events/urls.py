from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("report/", views.report, name="report"),
    path("todo/", views.todo, name="todo"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("<int:pk>/", views.detail, name="detail"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/reveal-phone/", views.reveal_phone, name="reveal-phone"),
    path("<int:pk>/extension/request/", views.extension_request, name="extension-request"),
    path("<int:pk>/extension/decide/", views.extension_decide, name="extension-decide"),
    path("<int:pk>/pause/request/", views.pause_request, name="pause-request"),
    path("<int:pk>/pause/decide/", views.pause_decide, name="pause-decide"),
    path("<int:pk>/pause/resume/", views.resume, name="resume"),
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
]
