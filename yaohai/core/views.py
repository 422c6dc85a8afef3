"""The pages every role shares: sign-in, the role's home page, and the health check."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from grids import selectors

from .signin import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Each role lands on its own page: grid workers on the phone tabs, officers on their nodes."""
    user = request.user
    role = selectors.role_of(user)
    if role == "grid_worker":
        nodes = selectors.home_nodes(actor=user)
        return render(request, "home/grid_worker.html", {"grids": nodes, "tab": request.GET.get("tab", "home")})
    if role in ("officer", "admin"):
        nodes = selectors.home_nodes(actor=user)
        children = {}
        for child in selectors.visible_nodes(actor=user).filter(parent__in=nodes).order_by("code"):
            children.setdefault(child.parent_id, []).append(child)
        rosters = selectors.rosters(actor=user, nodes=[c for n in nodes for c in children.get(n.pk, [])] + nodes)
        gaps = [r for r in rosters if r.gaps]
        return render(
            request,
            "home/officer.html",
            {"role": role, "nodes": [(n, children.get(n.pk, [])) for n in nodes], "gap_rosters": gaps},
        )
    return render(request, "home/no_role.html")


@never_cache
def healthz(request):
    """Liveness for load balancers and the CI smoke test: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
