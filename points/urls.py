from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/statement/", views.statement, name="statement"),
    path("accounts/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("register/", views.register, name="register"),
    path("queue/", views.queue, name="queue"),
    path("services/<int:pk>/approve/", views.approve, name="approve"),
    path("services/<int:pk>/reject/", views.reject, name="reject"),
    path("r/<str:token>/", views.confirm, name="confirm"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/new/", views.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/steps/<str:step>/", views.evaluation_step, name="evaluation_step"),
    path("evaluations/<int:pk>/inspections/", views.evaluation_inspect, name="evaluation_inspect"),
    path("evaluations/<int:pk>/objections/", views.evaluation_objection, name="evaluation_objection"),
    path("evaluations/<int:pk>/certificate/<int:household>/", views.certificate, name="certificate"),
]
