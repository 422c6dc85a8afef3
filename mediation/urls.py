from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<str:name>/", views.step, name="step"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/photo/<str:kind>/<int:item>/", views.photo, name="photo"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement-pdf"),
    path("<int:pk>/file/", views.case_file, name="file"),
]
