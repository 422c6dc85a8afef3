"""The pages every role shares: sign-in, the role's home page, and the health check."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import shell
from .signin import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Each role lands on its own home, composed of the panels the apps register (yaohai.core.shell): officers
    on their workbench (工作台), grid workers on the phone's 首页 (or its 我的 tab)."""
    role = shell.role_of(request.user)
    if role == shell.GRID_WORKER and request.GET.get("tab") == "me":
        return render(request, "home/me.html")
    panels = shell.home_panels.compose(actor=request.user, role=role)
    if role == shell.NO_ROLE and not any(data.get("count") or data.get("unread") for _panel, data in panels):
        return render(request, "home/no_role.html")  # no post, nothing to do: say whom to ask
    template = "home/grid_worker.html" if role == shell.GRID_WORKER else "home/workbench.html"
    return render(request, template, {"role": role, "panels": panels})


@never_cache
def healthz(request):
    """Liveness for load balancers and the CI smoke test: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
