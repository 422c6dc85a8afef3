from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factors/", two_factor_views.verify, name="two-factors-verify"),
    path("two-factors/enrol/", two_factor_views.enrol, name="two-factors-enrol"),
    path("two-factors/recovery-codes/", two_factor_views.recovery_codes, name="two-factors-recovery-codes"),
]
