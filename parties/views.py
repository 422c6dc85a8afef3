"""The parties' pages (thin: the selectors read, the services write)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from yaohai.core.shell import GRID_WORKER, role_of

from . import selectors


@login_required
def home(request):
    """党建: an officer's organisations, coverage, topics, activities and notices in her subtree; a grid worker's
    phone page of her grid's branch, central households, committee and coming activities."""
    now = timezone.now()
    if role_of(request.user) == GRID_WORKER:
        return render(request, "parties/grid.html", {"grids": selectors.my_grid(actor=request.user, now=now)})
    return render(request, "parties/home.html", selectors.overview(actor=request.user, now=now))
