from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<str:name>/", views.step, name="step"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/file/", views.case_file, name="file"),
]
